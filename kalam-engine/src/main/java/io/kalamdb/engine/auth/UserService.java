package io.kalamdb.engine.auth;

import java.util.Optional;

/**
 * Authentication and first-run setup over the stored users. Errors are {@code KalamException}s with codes
 * {@code INVALID_CREDENTIALS}, {@code SETUP_REQUIRED}, {@code ACCOUNT_LOCKED}, {@code ALREADY_CONFIGURED},
 * {@code WEAK_PASSWORD}, {@code INVALID_USER} or {@code USER_EXISTS}.
 */
public interface UserService {

    /** Checks a user's password; counts failures and locks the account after too many. */
    UserRecord authenticate(String userId, String password);

    /** The live (not dropped) user with this id. */
    Optional<UserRecord> find(String userId);

    /** Whether root has no password yet (login answers setup_required until setup). */
    boolean needsSetup();

    /** First-run setup: sets root's password and creates a dba user. */
    UserRecord setup(String userId, String password, String rootPassword, String email);
}
