package io.kalamdb.engine.auth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A stored user. The id is the name given in CREATE USER. A dropped user keeps its record with
 * {@code deletedAtMicros} set and can no longer authenticate.
 *
 * <p>{@code tokenGeneration} is carried by every token issued to the user ({@code gen} claim) and must match the
 * stored value for a token to be accepted. A password change, a role change, an admin lock and DROP USER move it
 * on; it never goes back, also across DROP and a later CREATE of the same id, so that no earlier token revives
 * (ADR 0005).
 */
public record UserRecord(String id, String passwordHash, Role role, String email, String authType,
                         int failedLoginAttempts, Long lockedUntilMicros, Long lastLoginAtMicros,
                         long createdAtMicros, long updatedAtMicros, Long deletedAtMicros, long tokenGeneration) {

    /** The lock end of {@code ALTER USER … LOCK}: 9999-12-31T23:59:59.999Z, until an UNLOCK. */
    public static final long ADMIN_LOCK_UNTIL_MICROS = 253_402_300_799_999_000L;

    /** The canonical constructor is the one stored records are read with. */
    @JsonCreator
    public UserRecord {
    }

    /** A user at token generation 0. */
    public UserRecord(String id, String passwordHash, Role role, String email, String authType,
                      int failedLoginAttempts, Long lockedUntilMicros, Long lastLoginAtMicros,
                      long createdAtMicros, long updatedAtMicros, Long deletedAtMicros) {
        this(id, passwordHash, role, email, authType, failedLoginAttempts, lockedUntilMicros, lastLoginAtMicros,
                createdAtMicros, updatedAtMicros, deletedAtMicros, 0);
    }

    @JsonIgnore
    public boolean isDeleted() {
        return deletedAtMicros != null;
    }

    /** Whether an account lock holds at this instant. */
    public boolean isLockedAt(long nowMicros) {
        return lockedUntilMicros != null && lockedUntilMicros > nowMicros;
    }

    /** A new password: failures and lock are cleared and earlier tokens end. */
    public UserRecord withPasswordHash(String hash, long now) {
        return new UserRecord(id, hash, role, email, authType, 0, null, lastLoginAtMicros, createdAtMicros, now,
                deletedAtMicros, tokenGeneration + 1);
    }

    /** A new role: earlier tokens (which claim the old role) end. */
    public UserRecord withRole(Role newRole, long now) {
        return new UserRecord(id, passwordHash, newRole, email, authType, failedLoginAttempts, lockedUntilMicros,
                lastLoginAtMicros, createdAtMicros, now, deletedAtMicros, tokenGeneration + 1);
    }

    public UserRecord withEmail(String newEmail, long now) {
        return new UserRecord(id, passwordHash, role, newEmail, authType, failedLoginAttempts, lockedUntilMicros,
                lastLoginAtMicros, createdAtMicros, now, deletedAtMicros, tokenGeneration);
    }

    /** Dropped (soft delete): earlier tokens end. */
    public UserRecord deleted(long now) {
        return new UserRecord(id, passwordHash, role, email, authType, failedLoginAttempts, lockedUntilMicros,
                lastLoginAtMicros, createdAtMicros, now, now, tokenGeneration + 1);
    }

    /**
     * An admin lock until {@code until} (earlier tokens end), or with {@code until} null an unlock, which also
     * clears the failure counter (tokens stay as they are).
     */
    public UserRecord withAdminLock(Long until, long now) {
        return new UserRecord(id, passwordHash, role, email, authType, until == null ? 0 : failedLoginAttempts,
                until, lastLoginAtMicros, createdAtMicros, now, deletedAtMicros,
                until == null ? tokenGeneration : tokenGeneration + 1);
    }

    /** Login bookkeeping: failure counter, lock and last login (tokens stay as they are). */
    public UserRecord withLogin(int failures, Long lockedUntil, Long lastLogin) {
        return new UserRecord(id, passwordHash, role, email, authType, failures, lockedUntil, lastLogin,
                createdAtMicros, updatedAtMicros, deletedAtMicros, tokenGeneration);
    }

    /** This record re-created over a dropped one: it continues the dropped record's token generation. */
    public UserRecord succeeding(UserRecord dropped) {
        long generation = Math.max(tokenGeneration, dropped.tokenGeneration + 1);
        return new UserRecord(id, passwordHash, role, email, authType, failedLoginAttempts, lockedUntilMicros,
                lastLoginAtMicros, createdAtMicros, updatedAtMicros, deletedAtMicros, generation);
    }
}
