package io.kalamdb.engine.auth.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kalamdb.engine.EngineFixture;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.util.MutableClock;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An account locked by wrong passwords opens again by itself after fifteen minutes of the engine's clock, not a
 * moment sooner, and a failure after the lock expired starts a new count (the lockout policy of
 * {@link LocalUserService}); the clock is moved by hand instead of waiting.
 */
class LockoutExpiryTest {
    private static final String PASSWORD = "AlicePass123!";

    private final MutableClock clock = new MutableClock();
    private EngineFixture fx;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture(Map.of(), clock);
        fx.sql(EngineFixture.ROOT, "CREATE USER 'alice' WITH PASSWORD '" + PASSWORD + "' ROLE user");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private KalamErrorCode loginFails(String password) {
        return assertThrows(KalamException.class, () -> fx.engine().users().authenticate("alice", password)).code();
    }

    @Test
    void aLockEndsAfterFifteenMinutesOfTheEnginesClock() {
        for (int i = 0; i < LocalUserService.MAX_FAILURES; i++) {
            assertEquals(KalamErrorCode.INVALID_CREDENTIALS, loginFails("wrong-" + i));
        }
        assertEquals(KalamErrorCode.ACCOUNT_LOCKED, loginFails(PASSWORD), "locked: the right password is refused");
        clock.advance(Duration.ofMinutes(15).minusSeconds(1));
        assertEquals(KalamErrorCode.ACCOUNT_LOCKED, loginFails(PASSWORD), "a second before the lock ends");
        clock.advance(Duration.ofSeconds(2));
        assertEquals("alice", fx.engine().users().authenticate("alice", PASSWORD).id(), "the lock has ended");
        assertEquals(0, fx.engine().users().find("alice").orElseThrow().failedLoginAttempts(),
                "a right password clears the count");
    }

    @Test
    void theFirstFailureAfterAnExpiredLockStartsANewCount() {
        for (int i = 0; i < LocalUserService.MAX_FAILURES; i++) {
            loginFails("wrong-" + i);
        }
        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        assertEquals(KalamErrorCode.INVALID_CREDENTIALS, loginFails("wrong-again"));
        assertEquals(1, fx.engine().users().find("alice").orElseThrow().failedLoginAttempts(), "a new count");
        assertEquals("alice", fx.engine().users().authenticate("alice", PASSWORD).id(), "one failure does not lock");
    }
}
