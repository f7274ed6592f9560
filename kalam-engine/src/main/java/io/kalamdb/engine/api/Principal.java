package io.kalamdb.engine.api;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.auth.Role;

/**
 * Who a verified token says the caller is: the user id ({@code sub}) and the role claim, if the token had one.
 * The engine checks it against the stored user before anything runs.
 *
 * @param roleClaim the token's role, or null when the token carried none
 * @param generation the token's {@code gen} claim: the user's token generation when it was issued
 */
public record Principal(String userId, Role roleClaim, long generation) {

    public Principal {
        requireNonNull(userId, "userId is null");
    }

    /** A principal of generation 0 (a user whose credentials never changed). */
    public Principal(String userId, Role roleClaim) {
        this(userId, roleClaim, 0);
    }
}
