package io.kalamdb.server.auth;

import java.util.Locale;

/**
 * The {@code token_type} claim: an access token opens the API, a refresh token only {@code /auth/refresh}.
 */
public enum TokenType {
    ACCESS, REFRESH;

    public String claim() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type named by a claim value, or null when the value is missing or unknown. */
    static TokenType fromClaim(String claim) {
        for (TokenType type : values()) {
            if (type.claim().equals(claim)) {
                return type;
            }
        }
        return null;
    }
}
