package io.kalamdb.engine.hot;

import io.kalamdb.engine.catalog.KalamType;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Order-preserving keys. A partition (one user's rows of one table, or a shared table's rows) is the
 * contiguous range {@code tableId(8) | partition length(2) | partition(utf8)}; rows follow by primary key, the seq
 * index by {@code _seq} (big-endian, so numeric order is key order). The length makes partition prefixes
 * prefix-free: no partition's range can contain another's keys, whatever bytes the names hold.
 *
 * <p>Key values (primary keys and indexed values, {@link #encodePk}) are encoded so that unsigned byte order is
 * the order Calcite's {@code ORDER BY} gives the column's Calcite type, equal values (1.5 and 1.50) have equal
 * bytes, and no encoding is a prefix of another (so a value can be followed by more key bytes). The encodings
 * are frozen (ADR 0006, pinned by {@code KeyCodecGoldenTest}); key values are never null.
 * <ul>
 *   <li>SMALLINT, INT, BIGINT, DATE (epoch days), TIME, TIMESTAMP, DATETIME (µs): 8 bytes big-endian of
 *   {@code v ^ Long.MIN_VALUE} (the sign bit flipped).</li>
 *   <li>BOOLEAN: {@code 0x00} false, {@code 0x01} true.</li>
 *   <li>FLOAT, DOUBLE: the double's IEEE bits, all inverted when negative, else the sign bit set (8 bytes);
 *   -0.0 is written as 0.0, so the two are one key as they are one value in SQL.</li>
 *   <li>DECIMAL: zero is {@code 0x80}. Otherwise write the value as {@code ±0.d1…dn × 10^e} (trailing zeros
 *   stripped, {@code d1 != 0}); positive: {@code 0x81}, {@code e ^ 0x80000000} (4 bytes), each digit as
 *   {@code 0x30 + d}, then {@code 0x00}; negative: {@code 0x7F}, {@code -e ^ 0x80000000}, each digit as
 *   {@code 0x3A - d}, then {@code 0xFF}.</li>
 *   <li>TEXT, JSON, UUID (Calcite VARCHAR, ordered by UTF-16 code unit): each code unit {@code u} as one byte
 *   {@code u + 1} below {@code 0x7F}, two bytes {@code 110xxxxx 10xxxxxx} below {@code 0x800}, otherwise three
 *   bytes {@code 1110xxxx 10xxxxxx 10xxxxxx} (surrogates one by one), then a {@code 0x00} terminator.</li>
 *   <li>BYTES (Calcite VARBINARY, unsigned bytes): each byte as itself except {@code 0x00} as {@code 0x00 0xFF},
 *   then {@code 0x00 0x00}.</li>
 * </ul>
 */
public final class KeyCodec {
    /** Longest partition name, in UTF-8 bytes (user ids are at most 128 characters). */
    public static final int MAX_PARTITION_BYTES = 0xffff;

    private static final byte DECIMAL_NEGATIVE = 0x7f;
    private static final byte DECIMAL_ZERO = (byte) 0x80;
    private static final byte DECIMAL_POSITIVE = (byte) 0x81;

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
     * The prefix of one value's entries in a secondary index: {@code partition prefix | column id(2) |
     * encodePk(value)}. Entries append the row's encoded primary key, so a column's entries are in (value,
     * primary key) order and one value's rows are in key order.
     */
    public static byte[] indexPrefix(byte[] partitionPrefix, int columnId, byte[] encodedValue) {
        return ByteBuffer.allocate(partitionPrefix.length + 2 + encodedValue.length).put(partitionPrefix)
                .putShort((short) columnId).put(encodedValue).array();
    }

    /** Encodes a key value (a primary key or an indexed value, never null) as the class comment describes. */
    public static byte[] encodePk(KalamType type, Object value) {
        return switch (type.kind()) {
            case SMALLINT, INT, BIGINT, TIMESTAMP, DATETIME, TIME, DATE -> longKey(((Number) value).longValue());
            case BOOLEAN -> new byte[] {(byte) (Boolean.TRUE.equals(value) ? 1 : 0)};
            case FLOAT, DOUBLE -> doubleKey(((Number) value).doubleValue());
            case DECIMAL -> decimalKey((BigDecimal) value);
            case TEXT, JSON, UUID -> textKey(value.toString());
            case BYTES -> bytesKey((byte[]) value);
        };
    }

    /**
     * The value of a key made by {@link #encodePk}, in the stored representation of {@code type} (a DECIMAL at
     * least at the column's scale).
     *
     * @throws IllegalArgumentException when the bytes are not exactly one key of that type
     */
    public static Object decodePk(KalamType type, byte[] key) {
        ByteBuffer in = ByteBuffer.wrap(key);
        Object value;
        try {
            value = decodeValue(type, in);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated " + type.sqlName() + " key", e);
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException("trailing bytes after a " + type.sqlName() + " key");
        }
        return value;
    }

    private static Object decodeValue(KalamType type, ByteBuffer in) {
        return switch (type.kind()) {
            case SMALLINT -> (short) (in.getLong() ^ Long.MIN_VALUE);
            case INT, DATE -> (int) (in.getLong() ^ Long.MIN_VALUE);
            case BIGINT, TIMESTAMP, DATETIME, TIME -> in.getLong() ^ Long.MIN_VALUE;
            case BOOLEAN -> in.get() != 0;
            case FLOAT -> (float) readDouble(in);
            case DOUBLE -> readDouble(in);
            case DECIMAL -> {
                BigDecimal d = readDecimal(in);
                yield d.scale() < type.scale() ? d.setScale(type.scale()) : d;
            }
            case TEXT, JSON, UUID -> readText(in);
            case BYTES -> readBytes(in);
        };
    }

    private static byte[] longKey(long v) {
        return ByteBuffer.allocate(8).putLong(v ^ Long.MIN_VALUE).array();
    }

    private static byte[] doubleKey(double v) {
        long bits = Double.doubleToLongBits(v == 0.0 ? 0.0 : v);
        bits = bits < 0 ? ~bits : bits ^ Long.MIN_VALUE;
        return ByteBuffer.allocate(8).putLong(bits).array();
    }

    private static double readDouble(ByteBuffer in) {
        long bits = in.getLong();
        return Double.longBitsToDouble(bits < 0 ? bits ^ Long.MIN_VALUE : ~bits);
    }

    private static byte[] decimalKey(BigDecimal value) {
        if (value.signum() == 0) {
            return new byte[] {DECIMAL_ZERO};
        }
        BigDecimal stripped = value.stripTrailingZeros();
        String digits = stripped.unscaledValue().abs().toString();
        int exponent = Math.subtractExact(digits.length(), stripped.scale());
        boolean negative = value.signum() < 0;
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + digits.length() + 1);
        b.put(negative ? DECIMAL_NEGATIVE : DECIMAL_POSITIVE);
        b.putInt((negative ? Math.negateExact(exponent) : exponent) ^ Integer.MIN_VALUE);
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(i) - '0';
            b.put((byte) (negative ? 0x3a - d : 0x30 + d));
        }
        b.put(negative ? (byte) 0xff : 0x00);
        return b.array();
    }

    private static BigDecimal readDecimal(ByteBuffer in) {
        byte marker = in.get();
        if (marker == DECIMAL_ZERO) {
            return BigDecimal.ZERO;
        }
        boolean negative = marker == DECIMAL_NEGATIVE;
        if (!negative && marker != DECIMAL_POSITIVE) {
            throw new IllegalArgumentException("not a DECIMAL key [marker=" + (marker & 0xff) + "]");
        }
        int exponent = in.getInt() ^ Integer.MIN_VALUE;
        exponent = negative ? -exponent : exponent;
        StringBuilder digits = new StringBuilder();
        byte end = negative ? (byte) 0xff : 0x00;
        for (byte b = in.get(); b != end; b = in.get()) {
            digits.append((char) ('0' + (negative ? 0x3a - b : b - 0x30)));
        }
        BigDecimal magnitude = new BigDecimal(new BigInteger(digits.toString()),
                digits.length() - exponent);
        return negative ? magnitude.negate() : magnitude;
    }

    private static byte[] textKey(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 1);
        for (int i = 0; i < s.length(); i++) {
            char u = s.charAt(i);
            if (u < 0x7f) {
                out.write(u + 1);
            } else if (u < 0x800) {
                out.write(0xc0 | (u >> 6));
                out.write(0x80 | (u & 0x3f));
            } else {
                out.write(0xe0 | (u >> 12));
                out.write(0x80 | ((u >> 6) & 0x3f));
                out.write(0x80 | (u & 0x3f));
            }
        }
        out.write(0);
        return out.toByteArray();
    }

    private static String readText(ByteBuffer in) {
        StringBuilder s = new StringBuilder();
        for (int b = in.get() & 0xff; b != 0; b = in.get() & 0xff) {
            if (b < 0x80) {
                s.append((char) (b - 1));
            } else if (b < 0xe0) {
                s.append((char) (((b & 0x1f) << 6) | (in.get() & 0x3f)));
            } else {
                s.append((char) (((b & 0x0f) << 12) | ((in.get() & 0x3f) << 6) | (in.get() & 0x3f)));
            }
        }
        return s.toString();
    }

    private static byte[] bytesKey(byte[] v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(v.length + 2);
        for (byte b : v) {
            out.write(b);
            if (b == 0) {
                out.write(0xff);
            }
        }
        out.write(0);
        out.write(0);
        return out.toByteArray();
    }

    private static byte[] readBytes(ByteBuffer in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            byte b = in.get();
            if (b != 0) {
                out.write(b);
                continue;
            }
            byte next = in.get();
            if (next == 0) {
                return out.toByteArray();
            }
            if (next != (byte) 0xff) {
                throw new IllegalArgumentException("not a BYTES key [escape=" + (next & 0xff) + "]");
            }
            out.write(0);
        }
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
