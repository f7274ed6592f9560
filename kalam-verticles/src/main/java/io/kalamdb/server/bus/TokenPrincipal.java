package io.kalamdb.server.bus;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.auth.Role;

/**
 * Who a verified token says the caller is: the user id ({@code sub}) and the role claim, if the token had one.
 * The engine worker checks it against the stored user before anything runs.
 *
 * @param roleClaim the token's role, or null when the token carried none
 */
public record TokenPrincipal(String userId, Role roleClaim) {

    public TokenPrincipal {
        requireNonNull(userId, "userId is null");
    }
}
