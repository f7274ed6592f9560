package io.kalamdb.engine.api;

import static java.util.Objects.requireNonNull;

/**
 * First-run setup for {@code POST /v1/api/auth/setup}: root's password and a new dba user.
 *
 * @param email the dba user's email, or null
 */
public record SetupRequest(String userId, String password, String rootPassword, String email) {

    public SetupRequest {
        requireNonNull(userId, "userId is null");
        requireNonNull(password, "password is null");
        requireNonNull(rootPassword, "rootPassword is null");
    }

    @Override
    public String toString() {
        return "SetupRequest[userId=" + userId + ", password=***, rootPassword=***, email=" + email + "]";
    }
}
