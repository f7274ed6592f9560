package io.kalamdb.engine.util;

/**
 * 64-bit time-ordered ids: 41 bits of milliseconds since 2024-01-01T00:00:00Z, 10 bits of node id, 12 bits of
 * sequence. Strictly increasing per generator, even when the clock steps back or a block of ids is reserved.
 */
public final class SnowflakeGenerator {
    /** 2024-01-01T00:00:00Z in Unix milliseconds. */
    public static final long EPOCH_MS = 1_704_067_200_000L;

    private final long nodeBits;
    private long lastMs;
    private long sequence;

    public SnowflakeGenerator(int nodeId) {
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
        long now = System.currentTimeMillis() - EPOCH_MS;
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

    /** Unix milliseconds of an id. */
    public static long timestampMs(long id) {
        return (id >> 22) + EPOCH_MS;
    }
}
