package io.kalamdb.engine.write;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The durable position of a consumer group on one partition: the committed offset (every offset at or below it
 * is acknowledged, a mark-delete position) and the offsets acknowledged one by one above it, kept as ranges.
 *
 * <p>Stored as the value of the committed-offset key: {@code committed(8) updatedAtMicros(8)} followed by
 * {@code (from(8) to(8))*} for the acknowledged ranges above {@code committed + 1}. A 16-byte value (written
 * before acknowledged ranges existed) reads as a position without ranges. A committed offset of -1 records a
 * group that starts at offset 0 (the position is persisted at a group's first fetch, before any ack).
 */
public final class GroupPosition {
    private final long committed;
    private final long updatedAtMicros;
    private final TreeMap<Long, Long> acked;

    private GroupPosition(long committed, long updatedAtMicros, TreeMap<Long, Long> acked) {
        this.committed = committed;
        this.updatedAtMicros = updatedAtMicros;
        this.acked = acked;
    }

    /** A position at {@code committed} with nothing acknowledged above it. */
    public static GroupPosition at(long committed, long updatedAtMicros) {
        return new GroupPosition(Math.max(-1, committed), updatedAtMicros, new TreeMap<>());
    }

    public static GroupPosition decode(byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value);
        long committed = b.getLong();
        long updated = b.getLong();
        TreeMap<Long, Long> ranges = new TreeMap<>();
        while (b.remaining() >= 16) {
            ranges.put(b.getLong(), b.getLong());
        }
        return new GroupPosition(committed, updated, ranges);
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(16 + 16 * acked.size()).putLong(committed).putLong(updatedAtMicros);
        for (Map.Entry<Long, Long> r : acked.entrySet()) {
            b.putLong(r.getKey()).putLong(r.getValue());
        }
        return b.array();
    }

    /** Every offset at or below it is acknowledged; -1 when none is. */
    public long committed() {
        return committed;
    }

    public long updatedAtMicros() {
        return updatedAtMicros;
    }

    /** Whether {@code offset} is acknowledged (at or below the committed offset, or one by one above it). */
    public boolean isAcked(long offset) {
        if (offset <= committed) {
            return true;
        }
        Map.Entry<Long, Long> r = acked.floorEntry(offset);
        return r != null && r.getValue() >= offset;
    }

    /** How many offsets above the committed one are acknowledged one by one. */
    public long ackedAboveCommitted() {
        long n = 0;
        for (Map.Entry<Long, Long> r : acked.entrySet()) {
            n += r.getValue() - r.getKey() + 1;
        }
        return n;
    }

    /** This position with {@code offsets} acknowledged; the committed offset advances over a contiguous prefix. */
    public GroupPosition withAcked(Collection<Long> offsets, long atMicros) {
        TreeMap<Long, Long> ranges = new TreeMap<>(acked);
        for (long o : offsets) {
            if (o > committed) {
                add(ranges, o);
            }
        }
        return normalised(committed, atMicros, ranges);
    }

    /** This position with the committed offset at least {@code offset} (it never moves back). */
    public GroupPosition withCommitted(long offset, long atMicros) {
        return normalised(Math.max(committed, offset), atMicros, new TreeMap<>(acked));
    }

    private static void add(TreeMap<Long, Long> ranges, long o) {
        Map.Entry<Long, Long> below = ranges.floorEntry(o);
        if (below != null && below.getValue() >= o) {
            return;
        }
        long from = o;
        long to = o;
        if (below != null && below.getValue() == o - 1) {
            from = below.getKey();
        }
        Long aboveTo = ranges.remove(o + 1);
        if (aboveTo != null) {
            to = aboveTo;
        }
        ranges.put(from, to);
    }

    private static GroupPosition normalised(long committed, long atMicros, TreeMap<Long, Long> ranges) {
        long c = committed;
        while (!ranges.isEmpty()) {
            Map.Entry<Long, Long> first = ranges.firstEntry();
            if (first.getKey() > c + 1) {
                break;
            }
            c = Math.max(c, first.getValue());
            ranges.pollFirstEntry();
        }
        return new GroupPosition(c, atMicros, ranges);
    }

    /** Same committed offset and acknowledged ranges (the time is ignored). */
    public boolean samePosition(GroupPosition other) {
        return committed == other.committed && acked.equals(other.acked);
    }
}
