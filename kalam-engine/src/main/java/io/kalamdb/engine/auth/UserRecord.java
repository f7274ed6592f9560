package io.kalamdb.engine.auth;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A stored user. The id is the name given in CREATE USER. A dropped user keeps its record with
 * {@code deletedAtMicros} set and can no longer authenticate.
 */
public record UserRecord(String id, String passwordHash, Role role, String email, String authType,
                         int failedLoginAttempts, Long lockedUntilMicros, Long lastLoginAtMicros,
                         long createdAtMicros, long updatedAtMicros, Long deletedAtMicros) {

    @JsonIgnore
    public boolean isDeleted() {
        return deletedAtMicros != null;
    }

    public UserRecord withPasswordHash(String hash, long now) {
        return new UserRecord(id, hash, role, email, authType, 0, null, lastLoginAtMicros, createdAtMicros, now,
                deletedAtMicros);
    }

    public UserRecord withRole(Role newRole, long now) {
        return new UserRecord(id, passwordHash, newRole, email, authType, failedLoginAttempts, lockedUntilMicros,
                lastLoginAtMicros, createdAtMicros, now, deletedAtMicros);
    }

    public UserRecord withEmail(String newEmail, long now) {
        return new UserRecord(id, passwordHash, role, newEmail, authType, failedLoginAttempts, lockedUntilMicros,
                lastLoginAtMicros, createdAtMicros, now, deletedAtMicros);
    }

    public UserRecord deleted(long now) {
        return new UserRecord(id, passwordHash, role, email, authType, failedLoginAttempts, lockedUntilMicros,
                lastLoginAtMicros, createdAtMicros, now, now);
    }

    public UserRecord withLogin(int failures, Long lockedUntil, Long lastLogin) {
        return new UserRecord(id, passwordHash, role, email, authType, failures, lockedUntil, lastLogin,
                createdAtMicros, updatedAtMicros, deletedAtMicros);
    }
}
