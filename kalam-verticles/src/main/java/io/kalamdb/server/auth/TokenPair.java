package io.kalamdb.server.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A freshly issued access token and refresh token with their expiry instants (login and refresh answers).
 *
 * @param issuedAt the {@code iat} of both tokens (whole seconds, as the claims)
 */
public record TokenPair(String accessToken, Instant accessExpiresAt, String refreshToken, Instant refreshExpiresAt,
                        Instant issuedAt) {

    public TokenPair {
        requireNonNull(accessToken, "accessToken is null");
        requireNonNull(accessExpiresAt, "accessExpiresAt is null");
        requireNonNull(refreshToken, "refreshToken is null");
        requireNonNull(refreshExpiresAt, "refreshExpiresAt is null");
        requireNonNull(issuedAt, "issuedAt is null");
    }
}
