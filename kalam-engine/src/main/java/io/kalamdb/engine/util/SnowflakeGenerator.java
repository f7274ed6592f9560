package io.kalamdb.engine.util;

import static java.util.Objects.requireNonNull;

import java.time.Clock;

/**
 * 64-bit time-ordered ids: 41 bits of milliseconds since 2024-01-01T00:00:00Z, 10 bits of node id, 12 bits of
 * sequence. Strictly increasing per generator, even when the clock steps back or a block of ids is reserved.
 */
public final class SnowflakeGenerator {
    /** 2024-01-01T00:00:00Z in Unix milliseconds. */
    public static final long EPOCH_MS = 1_704_067_200_000L;

    private final long nodeBits;
    private final Clock clock;
    private long lastMs;
    private long sequence;

    public SnowflakeGenerator(int nodeId) {
        this(nodeId, Clocks.system());
    }

    /** A generator whose ids carry the milliseconds of {@code clock}. */
    public SnowflakeGenerator(int nodeId, Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
        if (nodeId < 0 || nodeId > 1023) {
            throw new IllegalArgumentException("node id must be in [0, 1023]: " + nodeId);
        }
        this.nodeBits = (long) nodeId << 12;
    }

    public synchronized long next() {
        return reserve(1);
    }

    /** Reserves {@code count} consecutive ids and returns the first. */
    public synchronized long reserve(int count) {
        long now = clock.millis() - EPOCH_MS;
        if (now > lastMs) {
            lastMs = now;
            sequence = 0;
        }
        if (sequence + count > 4096) {
            lastMs++;
            sequence = 0;
        }
        long first = (lastMs << 22) | nodeBits | sequence;
        sequence += count;
        if (count > 4096) {
            lastMs += (count + 4095) / 4096;
            sequence = 0;
        }
        return first;
    }

    /** The wall clock the ids are taken from (the leader time of a log entry comes from the same clock). */
    public Clock clock() {
        return clock;
    }

    /** Unix milliseconds of an id. */
    public static long timestampMs(long id) {
        return (id >> 22) + EPOCH_MS;
    }
}
