package io.kalamdb.engine.auth.impl;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.auth.PasswordHasher;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.engine.auth.UserService;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.util.Identifiers;
import io.kalamdb.engine.write.Command;
import io.kalamdb.engine.write.WriteLog;

import java.util.Optional;

/**
 * Users over the catalog and the write log: password checks with lockout, first-run setup, and the root user at
 * start-up.
 *
 * <p>Lockout policy: {@value #MAX_FAILURES} wrong passwords in a row lock the account for 15 minutes; a right
 * password clears the count; failures while locked are not counted and the first failure after the lock expired
 * starts a new count. An admin ends a lock at once with {@code ALTER USER 'u' UNLOCK} (or by setting a new
 * password). Every counter change is an intent applied against the stored record at apply time, so concurrent
 * logins neither lose a failure nor undo a password change.
 *
 * <p>Login does the same work whether the user exists or not: an unknown or dropped user, or one without a
 * password, still costs one bcrypt verification (against a dummy hash of the same cost) and one write-log entry.
 */
public final class LocalUserService implements UserService {
    public static final String ROOT = "root";
    static final int MAX_FAILURES = 5;
    static final long LOCK_MICROS = 15L * 60 * 1_000_000;

    private final Catalog catalog;
    private final WriteLog log;
    private final PasswordHasher hasher;
    /** What unknown users' passwords are checked against: the same bcrypt cost as real hashes. */
    private final String dummyHash;
    private final java.time.Clock clock;

    public LocalUserService(Catalog catalog, WriteLog log, PasswordHasher hasher) {
        this(catalog, log, hasher, io.kalamdb.engine.util.Clocks.system());
    }

    /** Users whose lockouts and login times follow {@code clock}. */
    public LocalUserService(Catalog catalog, WriteLog log, PasswordHasher hasher, java.time.Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.log = requireNonNull(log, "log is null");
        this.hasher = requireNonNull(hasher, "hasher is null");
        this.dummyHash = hasher.hash(java.util.UUID.randomUUID().toString());
    }

    private long now() {
        return clock.millis() * 1000L;
    }

    /** Creates root on first start; sets its password when one is configured and differs. */
    public void ensureRoot(String rootPassword) {
        UserRecord root = catalog.user(ROOT);
        boolean hasPassword = rootPassword != null && !rootPassword.isEmpty();
        if (root == null) {
            long now = now();
            log.commit(new Command.PutUser(new UserRecord(ROOT, hasPassword ? hasher.hash(rootPassword) : "",
                    Role.SYSTEM, "root@localhost", "internal", 0, null, null, now, now, null), true));
        } else if (hasPassword && !hasher.verify(rootPassword, root.passwordHash())) {
            log.commit(new Command.SetUserPassword(ROOT, hasher.hash(rootPassword), now()));
        }
    }

    @Override
    public UserRecord authenticate(String userId, String password) {
        Identifiers.checkUserId(userId);
        UserRecord u = catalog.user(userId);
        if (u != null && u.id().equals(ROOT) && (u.passwordHash() == null || u.passwordHash().isEmpty())) {
            throw new KalamException(KalamErrorCode.SETUP_REQUIRED,
                    "Server requires initial setup. Root password is not configured.");
        }
        boolean usable = u != null && !u.isDeleted() && u.passwordHash() != null && !u.passwordHash().isEmpty();
        long now = now();
        if (usable && u.isLockedAt(now)) {
            throw new KalamException(KalamErrorCode.ACCOUNT_LOCKED, "Account locked");
        }
        boolean verified = hasher.verify(password, usable ? u.passwordHash() : dummyHash);
        if (!usable || !verified) {
            // recorded for unknown ids too (the applier ignores them): the same write either way
            log.commit(new Command.RecordLoginFailure(userId, now, MAX_FAILURES, LOCK_MICROS));
            throw invalid();
        }
        log.commit(new Command.RecordLoginSuccess(userId, now, u.tokenGeneration()));
        return catalog.user(userId);
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
        String problem = Identifiers.problem(userId);
        if (problem != null) {
            throw new KalamException(KalamErrorCode.INVALID_USER, "invalid user name '"
                    + Identifiers.printable(userId) + "': " + problem);
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
        log.commit(new Command.SetUserPassword(ROOT, hasher.hash(rootPassword), now));
        UserRecord dba = new UserRecord(userId, hasher.hash(password), Role.DBA, email, "password", 0, null, null,
                now, now, null);
        log.commit(new Command.PutUser(dba, true));
        return catalog.user(userId);
    }
}
