package io.kalamdb.engine;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.auth.Role;

/**
 * Who runs a statement: the subject user (whose partition USER and STREAM tables show) and the role that
 * authorises it. {@code EXECUTE AS USER} runs its inner statement in a session of the target with role user.
 */
public record Session(String userId, Role role) {

    public Session {
        requireNonNull(userId, "userId is null");
        requireNonNull(role, "role is null");
    }

    public boolean isAdmin() {
        return role.isAdmin();
    }
}
