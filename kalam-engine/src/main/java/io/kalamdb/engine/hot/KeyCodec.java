package io.kalamdb.engine.hot;

import io.kalamdb.engine.catalog.KalamType;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Order-preserving keys. A partition (one user's rows of one table, or a shared table's rows) is the
 * contiguous range {@code tableId(8) | partition length(2) | partition(utf8)}; rows follow by primary key, the seq
 * index by {@code _seq} (big-endian, so numeric order is key order). The length makes partition prefixes
 * prefix-free: no partition's range can contain another's keys, whatever bytes the names hold.
 */
public final class KeyCodec {
    /** Longest partition name, in UTF-8 bytes (user ids are at most 128 characters). */
    public static final int MAX_PARTITION_BYTES = 0xffff;

    private KeyCodec() {
    }

    public static byte[] partitionPrefix(long tableId, String partition) {
        byte[] p = partition.getBytes(StandardCharsets.UTF_8);
        if (p.length > MAX_PARTITION_BYTES) {
            throw new IllegalArgumentException("partition name longer than " + MAX_PARTITION_BYTES + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocate(8 + 2 + p.length);
        b.putLong(tableId).putShort((short) p.length).put(p);
        return b.array();
    }

    public static byte[] tablePrefix(long tableId) {
        return ByteBuffer.allocate(8).putLong(tableId).array();
    }

    public static byte[] rowKey(byte[] partitionPrefix, byte[] pk) {
        byte[] k = new byte[partitionPrefix.length + pk.length];
        System.arraycopy(partitionPrefix, 0, k, 0, partitionPrefix.length);
        System.arraycopy(pk, 0, k, partitionPrefix.length, pk.length);
        return k;
    }

    public static byte[] seqKey(byte[] partitionPrefix, long seq) {
        return ByteBuffer.allocate(partitionPrefix.length + 8).put(partitionPrefix).putLong(seq).array();
    }

    public static long seqOf(byte[] seqKey) {
        return ByteBuffer.wrap(seqKey, seqKey.length - 8, 8).getLong();
    }

    /** The partition name inside a row, seq or index key (after the table id and its length). */
    public static String partitionOf(byte[] key) {
        int length = ByteBuffer.wrap(key, 8, 2).getShort() & 0xffff;
        return new String(key, 10, length, StandardCharsets.UTF_8);
    }

    /** The primary-key bytes of a row key (what follows its partition prefix). */
    public static byte[] pkOf(byte[] rowKey) {
        int start = 10 + (ByteBuffer.wrap(rowKey, 8, 2).getShort() & 0xffff);
        return java.util.Arrays.copyOfRange(rowKey, start, rowKey.length);
    }

    /**
     * The prefix of one value's entries in a secondary index: partition prefix | column id | value length |
     * value. Entries append the row's primary key, so one value's rows are in key order.
     */
    public static byte[] indexPrefix(byte[] partitionPrefix, int columnId, byte[] encodedValue) {
        return ByteBuffer.allocate(partitionPrefix.length + 6 + encodedValue.length).put(partitionPrefix)
                .putShort((short) columnId).putInt(encodedValue.length).put(encodedValue).array();
    }

    /** Encodes a primary-key value so that byte order is value order. */
    public static byte[] encodePk(KalamType type, Object value) {
        return switch (type.kind()) {
            case SMALLINT, INT, BIGINT, TIMESTAMP, DATETIME, TIME, DATE ->
                    ByteBuffer.allocate(8).putLong(((Number) value).longValue() ^ Long.MIN_VALUE).array();
            case BOOLEAN -> new byte[] {(byte) (Boolean.TRUE.equals(value) ? 1 : 0)};
            case FLOAT, DOUBLE -> {
                long bits = Double.doubleToLongBits(((Number) value).doubleValue());
                bits = bits < 0 ? ~bits : bits ^ Long.MIN_VALUE;
                yield ByteBuffer.allocate(8).putLong(bits).array();
            }
            case DECIMAL -> ((BigDecimal) value).toPlainString().getBytes(StandardCharsets.UTF_8);
            case BYTES -> (byte[]) value;
            case TEXT, JSON, UUID -> value.toString().getBytes(StandardCharsets.UTF_8);
        };
    }

    public static boolean startsWith(byte[] key, byte[] prefix) {
        if (key.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The smallest key greater than every key with this prefix, or null if there is none. */
    public static byte[] prefixUpperBound(byte[] prefix) {
        byte[] upper = prefix.clone();
        for (int i = upper.length - 1; i >= 0; i--) {
            if (upper[i] != (byte) 0xff) {
                upper[i]++;
                byte[] out = new byte[i + 1];
                System.arraycopy(upper, 0, out, 0, i + 1);
                return out;
            }
        }
        return null;
    }
}
