package io.kalamdb.engine.auth.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.auth.PasswordHasher;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.hot.RocksHotStore;
import io.kalamdb.engine.util.SnowflakeGenerator;
import io.kalamdb.engine.write.Applier;
import io.kalamdb.engine.write.ApplyResult;
import io.kalamdb.engine.write.Command;
import io.kalamdb.engine.write.LocalWriteLog;
import io.kalamdb.engine.write.WriteLog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Login over a real store and write log: unknown users cost the same work as known ones, the failure counter is
 * exact under concurrency and locks at the threshold, and a login never undoes a concurrent password change.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalUserServiceTest {
    private static final String PASSWORD = "AlicePass123!";

    @TempDir
    Path dir;

    private RocksHotStore store;
    private Catalog catalog;
    private LocalWriteLog realLog;
    private final List<Command> appended = new CopyOnWriteArrayList<>();
    private WriteLog log;
    private CountingHasher hasher;
    private LocalUserService users;

    /** A real bcrypt hasher (cost 4) that counts verifications and can run a hook inside one. */
    static class CountingHasher extends PasswordHasher {
        final AtomicInteger verifications = new AtomicInteger();
        volatile Runnable duringVerify;

        CountingHasher() {
            super(4, 8);
        }

        @Override
        public boolean verify(String password, String hash) {
            verifications.incrementAndGet();
            boolean result = super.verify(password, hash);
            Runnable hook = duringVerify;
            if (hook != null) {
                duringVerify = null;
                hook.run();
            }
            return result;
        }
    }

    @BeforeEach
    void open() {
        store = RocksHotStore.open(dir);
        catalog = new Catalog();
        realLog = new LocalWriteLog(store, new Applier(store, catalog), new SnowflakeGenerator(1), false,
                events -> { }, topics -> { });
        log = new WriteLog() {
            @Override
            public CompletableFuture<ApplyResult> append(Command command) {
                appended.add(command);
                return realLog.append(command);
            }

            @Override
            public void close() {
                realLog.close();
            }
        };
        hasher = new CountingHasher();
        users = new LocalUserService(catalog, log, hasher);
        users.ensureRoot("RootPass123!");
        long now = System.currentTimeMillis() * 1000;
        log.commit(new Command.PutUser(new UserRecord("alice", hasher.hash(PASSWORD), Role.USER, null, "password",
                0, null, null, now, now, null), true));
        appended.clear();
        hasher.verifications.set(0);
    }

    @AfterEach
    void close() {
        log.close();
        store.close();
    }

    @Test
    void unknownAndDroppedUsersCostOneVerificationAndOneLogEntryLikeAWrongPassword() {
        assertCode(KalamErrorCode.INVALID_CREDENTIALS, () -> users.authenticate("alice", "WrongPass123!"));
        assertEquals(1, hasher.verifications.get());
        assertEquals(1, appended.size());

        hasher.verifications.set(0);
        appended.clear();
        assertCode(KalamErrorCode.INVALID_CREDENTIALS, () -> users.authenticate("nobody", "WrongPass123!"));
        assertEquals(1, hasher.verifications.get(), "an unknown user is checked against the dummy hash");
        assertEquals(1, appended.size(), "an unknown user's failure goes through the log too");
        assertEquals(null, catalog.user("nobody"), "and creates nothing");

        log.commit(new Command.DropUser("alice", System.currentTimeMillis() * 1000));
        hasher.verifications.set(0);
        appended.clear();
        assertCode(KalamErrorCode.INVALID_CREDENTIALS, () -> users.authenticate("alice", PASSWORD));
        assertEquals(1, hasher.verifications.get(), "a dropped user is checked against the dummy hash");
        assertEquals(1, appended.size());
    }

    @Test
    void twentyConcurrentWrongPasswordsLockAtExactlyTheThreshold() throws Exception {
        int attempts = 20;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<KalamErrorCode>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < attempts; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    try {
                        users.authenticate("alice", "WrongPass123!");
                        return null;
                    } catch (KalamException e) {
                        return e.code();
                    }
                }));
            }
            start.countDown();
            int invalid = 0;
            for (Future<KalamErrorCode> answer : answers) {
                KalamErrorCode code = answer.get(30, TimeUnit.SECONDS);
                assertTrue(code == KalamErrorCode.INVALID_CREDENTIALS || code == KalamErrorCode.ACCOUNT_LOCKED,
                        String.valueOf(code));
                if (code == KalamErrorCode.INVALID_CREDENTIALS) {
                    invalid++;
                }
            }
            assertTrue(invalid >= LocalUserService.MAX_FAILURES, "at least the threshold were checked: " + invalid);
        } finally {
            pool.shutdownNow();
        }
        UserRecord alice = catalog.user("alice");
        assertEquals(LocalUserService.MAX_FAILURES, alice.failedLoginAttempts(), "no failure lost, none past the lock");
        assertNotNull(alice.lockedUntilMicros());
        assertTrue(alice.isLockedAt(System.currentTimeMillis() * 1000));
        assertCode(KalamErrorCode.ACCOUNT_LOCKED, () -> users.authenticate("alice", PASSWORD));

        // the admin unlock clears lock and counter; the right password works again
        log.commit(new Command.SetUserLock("alice", null, System.currentTimeMillis() * 1000));
        assertEquals(0, catalog.user("alice").failedLoginAttempts());
        assertEquals("alice", users.authenticate("alice", PASSWORD).id());
    }

    @Test
    void fourFailuresThenSuccessResetTheCounter() {
        for (int i = 0; i < LocalUserService.MAX_FAILURES - 1; i++) {
            assertCode(KalamErrorCode.INVALID_CREDENTIALS, () -> users.authenticate("alice", "WrongPass123!"));
        }
        assertEquals(LocalUserService.MAX_FAILURES - 1, catalog.user("alice").failedLoginAttempts());
        UserRecord after = users.authenticate("alice", PASSWORD);
        assertEquals(0, after.failedLoginAttempts());
        assertNotNull(after.lastLoginAtMicros());
    }

    @Test
    void aLoginRacingAPasswordChangeNeitherRestoresTheOldHashNorSucceeds() {
        UserRecord before = catalog.user("alice");
        String newHash = hasher.hash("NewAlicePass456!");
        // the password changes while the login is between its bcrypt check and its write
        hasher.duringVerify = () -> log.commit(new Command.SetUserPassword("alice", newHash,
                System.currentTimeMillis() * 1000));
        assertCode(KalamErrorCode.INVALID_CREDENTIALS, () -> users.authenticate("alice", PASSWORD));
        UserRecord after = catalog.user("alice");
        assertEquals(newHash, after.passwordHash(), "the login did not write the old hash back");
        assertEquals(before.tokenGeneration() + 1, after.tokenGeneration());
        assertEquals("alice", users.authenticate("alice", "NewAlicePass456!").id());
    }

    @Test
    void credentialChangesMoveTheTokenGenerationAndReCreationContinuesIt() {
        long now = System.currentTimeMillis() * 1000;
        long g0 = catalog.user("alice").tokenGeneration();
        log.commit(new Command.SetUserEmail("alice", "a@example.com", now));
        assertEquals(g0, catalog.user("alice").tokenGeneration(), "an email change keeps tokens");
        log.commit(new Command.SetUserRole("alice", Role.SERVICE, now));
        assertEquals(g0 + 1, catalog.user("alice").tokenGeneration());
        log.commit(new Command.SetUserLock("alice", UserRecord.ADMIN_LOCK_UNTIL_MICROS, now));
        assertEquals(g0 + 2, catalog.user("alice").tokenGeneration());
        log.commit(new Command.SetUserLock("alice", null, now));
        assertEquals(g0 + 2, catalog.user("alice").tokenGeneration(), "an unlock keeps tokens");
        log.commit(new Command.DropUser("alice", now));
        assertEquals(g0 + 3, catalog.user("alice").tokenGeneration());
        log.commit(new Command.PutUser(new UserRecord("alice", hasher.hash(PASSWORD), Role.USER, null, "password",
                0, null, null, now, now, null), true));
        UserRecord again = catalog.user("alice");
        assertEquals(g0 + 4, again.tokenGeneration(), "a re-created user never reuses a generation");
        assertNotEquals(null, again);
        assertEquals(null, again.deletedAtMicros());
    }

    @Test
    void badUserNamesAreRefusedBeforeAnyWork() {
        KalamException e = assertThrows(KalamException.class, () -> users.authenticate("al\u0000ice", PASSWORD));
        assertEquals(KalamErrorCode.INVALID_INPUT, e.code());
        assertEquals(0, hasher.verifications.get());
        assertEquals(0, appended.size());
    }

    private static void assertCode(KalamErrorCode code, Runnable call) {
        KalamException e = assertThrows(KalamException.class, call::run);
        assertEquals(code, e.code(), e.getMessage());
    }
}
