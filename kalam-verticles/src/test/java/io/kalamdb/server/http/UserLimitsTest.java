package io.kalamdb.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The per-user token bucket and in-flight bound, on a fake clock. */
class UserLimitsTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void aBurstOfOneSecondThenTheRateWithRetryAfter() {
        UserLimits limits = new UserLimits(10, 0, now::get);
        for (int i = 0; i < 10; i++) {
            assertNull(limits.admit("alice"), "request " + i + " of the burst");
            limits.release("alice");
        }
        UserLimits.Refusal refusal = limits.admit("alice");
        assertNotNull(refusal, "the 11th request within the same instant");
        assertEquals("Too many queries per second. Please slow down.", refusal.message());
        assertEquals(1, refusal.retryAfterSeconds());
        assertNull(limits.admit("bob"), "another user has a bucket of his own");
        now.addAndGet(100_000_000L); // 0.1 s refills one token at 10/s
        assertNull(limits.admit("alice"));
        limits.release("alice");
        assertNotNull(limits.admit("alice"), "only one token was refilled");
    }

    @Test
    void retryAfterRoundsUpToWholeSeconds() {
        UserLimits limits = new UserLimits(1, 0, now::get);
        assertNull(limits.admit("alice"));
        now.addAndGet(100_000_000L);
        assertEquals(1, limits.admit("alice").retryAfterSeconds(), "0.9 s to wait is announced as 1 s");
    }

    @Test
    void statementsInFlightAreBoundedPerUserAndFreedOnRelease() {
        UserLimits limits = new UserLimits(0, 2, now::get);
        assertNull(limits.admit("alice"));
        assertNull(limits.admit("alice"));
        UserLimits.Refusal refusal = limits.admit("alice");
        assertNotNull(refusal);
        assertEquals(1, refusal.retryAfterSeconds());
        assertNull(limits.admit("bob"));
        limits.release("alice");
        assertNull(limits.admit("alice"), "a finished statement frees its slot");
    }

    @Test
    void zeroDisablesBothAndNegativeIsRejected() {
        UserLimits off = new UserLimits(0, 0, now::get);
        for (int i = 0; i < 10_000; i++) {
            assertNull(off.admit("alice"));
        }
        assertThrows(IllegalArgumentException.class, () -> new UserLimits(-1, 0, now::get));
    }
}
