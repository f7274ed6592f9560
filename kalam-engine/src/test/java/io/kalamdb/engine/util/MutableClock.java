package io.kalamdb.engine.util;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A wall clock that a test moves forward by hand, so TTLs, retention, visibility timeouts and lockouts pass without
 * waiting. It starts at the real time (row {@code _seq}s are snowflakes of it) and never goes back.
 */
public final class MutableClock extends Clock {
    private final AtomicLong millis;

    public MutableClock() {
        this(Clocks.system().millis());
    }

    public MutableClock(long startMillis) {
        this.millis = new AtomicLong(startMillis);
    }

    /** Moves the clock forward by {@code step} (which must not be negative). */
    public void advance(Duration step) {
        if (step.isNegative()) {
            throw new IllegalArgumentException("a clock only moves forward: " + step);
        }
        millis.addAndGet(step.toMillis());
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the engine reads UTC milliseconds only");
    }
}
