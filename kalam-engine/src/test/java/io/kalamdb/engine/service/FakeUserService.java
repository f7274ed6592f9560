package io.kalamdb.engine.service;

import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.engine.auth.UserService;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory {@link UserService} with plain-text passwords, for tests of the session checks and of the server
 * without an engine (the server's tests get it from the engine's test jar).
 */
public final class FakeUserService implements UserService {
    public static final long CREATED_MICROS = 1_764_237_600_123_456L;

    private final Map<String, UserRecord> users = new ConcurrentHashMap<>();

    /** Adds (or replaces) a user whose "hash" is the password itself. */
    public FakeUserService add(String id, String password, Role role) {
        users.put(id, new UserRecord(id, password, role, null, "password", 0, null, null, CREATED_MICROS,
                CREATED_MICROS, null));
        return this;
    }

    public void put(UserRecord user) {
        users.put(user.id(), user);
    }

    @Override
    public UserRecord authenticate(String userId, String password) {
        if (needsSetup() && userId.equals("root")) {
            throw new KalamException(KalamErrorCode.SETUP_REQUIRED, "root has no password");
        }
        UserRecord user = find(userId).orElseThrow(() -> new KalamException(KalamErrorCode.INVALID_CREDENTIALS,
                "unknown user [user=" + userId + "]"));
        if (user.lockedUntilMicros() != null) {
            throw new KalamException(KalamErrorCode.ACCOUNT_LOCKED, "Account locked");
        }
        if (!user.passwordHash().equals(password)) {
            throw new KalamException(KalamErrorCode.INVALID_CREDENTIALS, "wrong password [user=" + userId + "]");
        }
        return user;
    }

    @Override
    public Optional<UserRecord> find(String userId) {
        return Optional.ofNullable(users.get(userId)).filter(u -> !u.isDeleted());
    }

    @Override
    public boolean needsSetup() {
        UserRecord root = users.get("root");
        return root == null || root.passwordHash().isEmpty();
    }

    @Override
    public UserRecord setup(String userId, String password, String rootPassword, String email) {
        if (!needsSetup()) {
            throw new KalamException(KalamErrorCode.ALREADY_CONFIGURED, "Server is already configured");
        }
        if (userId.equals("root")) {
            throw new KalamException(KalamErrorCode.INVALID_USER, "the dba user cannot be root");
        }
        if (password.length() < 8) {
            throw new KalamException(KalamErrorCode.WEAK_PASSWORD, "DBA user password: too short");
        }
        if (users.containsKey(userId)) {
            throw new KalamException(KalamErrorCode.USER_EXISTS, "User '" + userId + "' already exists");
        }
        add("root", rootPassword, Role.SYSTEM);
        UserRecord dba = new UserRecord(userId, password, Role.DBA, email, "password", 0, null, null, CREATED_MICROS,
                CREATED_MICROS, null);
        users.put(userId, dba);
        return dba;
    }
}
