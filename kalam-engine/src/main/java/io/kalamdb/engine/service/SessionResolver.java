package io.kalamdb.engine.service;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.Session;
import io.kalamdb.engine.api.Principal;
import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.engine.auth.UserService;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.util.function.LongSupplier;

/**
 * Turns a verified token's principal into the stored user it names (reference 6.3): the user must exist, not
 * be dropped, hold the role the token claims, not be locked, and still be at the token's generation (a password
 * change, role change, admin lock or drop since the token was issued ends it; ADR 0005). Runs inside the
 * engine ({@link LocalKalamService}), for every request, subscription and WebSocket re-check.
 */
final class SessionResolver {
    /** The public message of every credential failure on protected routes (reference 2.3). */
    static final String INVALID_CREDENTIALS = "Invalid credentials";

    private final UserService users;
    private final LongSupplier nowMicros;

    SessionResolver(UserService users, LongSupplier nowMicros) {
        this.users = requireNonNull(users, "users is null");
        this.nowMicros = requireNonNull(nowMicros, "nowMicros is null");
    }

    /** The session of a protected-route call; failures carry the public messages of reference 2.3. */
    Session session(Principal principal) {
        UserRecord user = check(principal, true);
        return new Session(user.id(), user.role());
    }

    /** The user behind a token (auth endpoints); failures say why, as {@code /auth/refresh} does. */
    UserRecord verify(Principal principal) {
        return check(principal, false);
    }

    private UserRecord check(Principal principal, boolean publicMessages) {
        UserRecord user = users.find(principal.userId()).filter(u -> !u.isDeleted()).orElseThrow(() ->
                new KalamException(KalamErrorCode.INVALID_CREDENTIALS,
                        publicMessages ? INVALID_CREDENTIALS : "User no longer valid"));
        if (principal.roleClaim() != null && principal.roleClaim() != user.role()) {
            throw new KalamException(KalamErrorCode.INVALID_CREDENTIALS,
                    publicMessages ? INVALID_CREDENTIALS : "Token role does not match user role");
        }
        Long lockedUntil = user.lockedUntilMicros();
        if (lockedUntil != null && lockedUntil > nowMicros.getAsLong()) {
            throw new KalamException(KalamErrorCode.ACCOUNT_LOCKED, "Account locked");
        }
        if (principal.generation() != user.tokenGeneration()) {
            throw new KalamException(KalamErrorCode.INVALID_CREDENTIALS,
                    publicMessages ? INVALID_CREDENTIALS : "Token revoked: the user's credentials changed");
        }
        return user;
    }
}
