package io.kalamdb.server.auth;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.api.Principal;
import io.kalamdb.engine.auth.Role;

/**
 * The claims of a token whose signature, issuer and lifetime were checked.
 *
 * @param role  the role claim, or null when the token had none
 * @param email the email claim, or null
 * @param generation the user's token generation when the token was issued ({@code gen}; 0 when absent)
 */
public record TokenClaims(String subject, Role role, String email, TokenType type, long issuedAtSeconds,
                          long expiresAtSeconds, long generation) {

    public TokenClaims {
        requireNonNull(subject, "subject is null");
        requireNonNull(type, "type is null");
    }

    public Principal principal() {
        return new Principal(subject, role, generation);
    }
}
