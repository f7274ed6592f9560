package io.kalamdb.server.ws;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.api.KalamService;
import io.kalamdb.engine.api.Principal;
import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.server.auth.JwtService;
import io.kalamdb.server.auth.TokenType;
import io.kalamdb.server.bus.EngineCalls;
import io.vertx.core.Future;

/**
 * Checks a WebSocket's JWT as the protected HTTP routes do (reference 3.2, 6.3): a valid access token (signature,
 * issuer, lifetime) naming a stored user that is not dropped or locked and holds the token's role.
 */
final class WsAuthenticator {
    private final JwtService jwt;
    private final KalamService engine;

    /**
     * Who a socket belongs to once authenticated: the token's principal (re-checked on each subscribe and when
     * the user changes) and the token's expiry.
     */
    record Authenticated(Principal principal, UserRecord user, long expiresAtSeconds) {
    }

    WsAuthenticator(JwtService jwt, KalamService engine) {
        this.jwt = requireNonNull(jwt, "jwt is null");
        this.engine = requireNonNull(engine, "engine is null");
    }

    Future<Authenticated> authenticate(String token) {
        if (token == null || token.isBlank()) {
            return Future.failedFuture(new KalamException(KalamErrorCode.MISSING_AUTHORIZATION,
                    "Authentication required"));
        }
        return jwt.verify(token).compose(claims -> {
            if (claims.type() != TokenType.ACCESS) {
                return Future.failedFuture(new KalamException(KalamErrorCode.INVALID_CREDENTIALS,
                        "Invalid credentials"));
            }
            Principal principal = claims.principal();
            return EngineCalls.future(engine.verify(principal))
                    .map(user -> new Authenticated(principal, user, claims.expiresAtSeconds()));
        });
    }

    /** Checks an authenticated socket's principal against the stored user again (after the user changed). */
    Future<UserRecord> recheck(Principal principal) {
        return EngineCalls.future(engine.verify(principal));
    }

    long leewaySeconds() {
        return jwt.leewaySeconds();
    }

    long nowSeconds() {
        return jwt.nowSeconds();
    }
}
