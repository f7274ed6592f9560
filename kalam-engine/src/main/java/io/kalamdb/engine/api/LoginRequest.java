package io.kalamdb.engine.api;

import static java.util.Objects.requireNonNull;

/**
 * A password check for {@code POST /v1/api/auth/login}; the reply is the authenticated user.
 */
public record LoginRequest(String userId, String password) {

    public LoginRequest {
        requireNonNull(userId, "userId is null");
        requireNonNull(password, "password is null");
    }

    @Override
    public String toString() {
        return "LoginRequest[userId=" + userId + ", password=***]";
    }
}
