package io.kalamdb.engine.auth;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.write.Command;
import io.kalamdb.engine.write.WriteLog;

import java.util.Optional;

/**
 * Users over the catalog and the write log: password checks with lockout (5 failures lock the account for
 * 15 minutes), first-run setup, and the root user at start-up.
 */
public final class LocalUserService implements UserService {
    public static final String ROOT = "root";
    private static final int MAX_FAILURES = 5;
    private static final long LOCK_MICROS = 15L * 60 * 1_000_000;

    private final Catalog catalog;
    private final WriteLog log;
    private final PasswordHasher hasher;

    public LocalUserService(Catalog catalog, WriteLog log, PasswordHasher hasher) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.log = requireNonNull(log, "log is null");
        this.hasher = requireNonNull(hasher, "hasher is null");
    }

    private static long now() {
        return System.currentTimeMillis() * 1000L;
    }

    private void put(UserRecord user, boolean create) {
        log.commit(new Command.PutUser(user, create));
    }

    /** Creates root on first start; sets its password when one is configured and differs. */
    public void ensureRoot(String rootPassword) {
        UserRecord root = catalog.user(ROOT);
        boolean hasPassword = rootPassword != null && !rootPassword.isEmpty();
        if (root == null) {
            long now = now();
            put(new UserRecord(ROOT, hasPassword ? hasher.hash(rootPassword) : "", Role.SYSTEM, "root@localhost",
                    "internal", 0, null, null, now, now, null), true);
        } else if (hasPassword && !hasher.verify(rootPassword, root.passwordHash())) {
            put(root.withPasswordHash(hasher.hash(rootPassword), now()), false);
        }
    }

    @Override
    public UserRecord authenticate(String userId, String password) {
        UserRecord u = catalog.user(userId);
        if (u != null && u.id().equals(ROOT) && (u.passwordHash() == null || u.passwordHash().isEmpty())) {
            throw new KalamException(KalamErrorCode.SETUP_REQUIRED,
                    "Server requires initial setup. Root password is not configured.");
        }
        if (u == null || u.isDeleted() || u.passwordHash() == null || u.passwordHash().isEmpty()) {
            throw invalid();
        }
        long now = now();
        if (u.lockedUntilMicros() != null && u.lockedUntilMicros() > now) {
            throw new KalamException(KalamErrorCode.ACCOUNT_LOCKED, "Account locked");
        }
        if (!hasher.verify(password, u.passwordHash())) {
            int failures = u.failedLoginAttempts() + 1;
            Long lockedUntil = failures >= MAX_FAILURES ? now + LOCK_MICROS : null;
            put(u.withLogin(failures >= MAX_FAILURES ? 0 : failures, lockedUntil, u.lastLoginAtMicros()), false);
            throw invalid();
        }
        UserRecord updated = u.withLogin(0, null, now);
        put(updated, false);
        return updated;
    }

    private static KalamException invalid() {
        return new KalamException(KalamErrorCode.INVALID_CREDENTIALS, "Invalid credentials");
    }

    @Override
    public Optional<UserRecord> find(String userId) {
        UserRecord u = catalog.user(userId);
        return u == null || u.isDeleted() ? Optional.empty() : Optional.of(u);
    }

    @Override
    public boolean needsSetup() {
        UserRecord root = catalog.user(ROOT);
        return root == null || root.passwordHash() == null || root.passwordHash().isEmpty();
    }

    @Override
    public UserRecord setup(String userId, String password, String rootPassword, String email) {
        if (!needsSetup()) {
            throw new KalamException(KalamErrorCode.ALREADY_CONFIGURED, "Server is already configured");
        }
        if (userId == null || userId.isBlank() || userId.equalsIgnoreCase(ROOT)) {
            throw new KalamException(KalamErrorCode.INVALID_USER, "The DBA user must have a name other than root");
        }
        if (password == null || rootPassword == null) {
            throw new KalamException(KalamErrorCode.WEAK_PASSWORD, "password and root_password are required");
        }
        hasher.checkPolicy(password, "DBA user password: ");
        hasher.checkPolicy(rootPassword, "Root password: ");
        UserRecord existing = catalog.user(userId);
        if (existing != null && !existing.isDeleted()) {
            throw new KalamException(KalamErrorCode.USER_EXISTS, "User '" + userId + "' already exists");
        }
        long now = now();
        UserRecord root = catalog.user(ROOT);
        put(root.withPasswordHash(hasher.hash(rootPassword), now), false);
        UserRecord dba = new UserRecord(userId, hasher.hash(password), Role.DBA, email, "password", 0, null, null,
                now, now, null);
        put(dba, true);
        return dba;
    }
}
