package io.kalamdb.engine.hot;

import io.kalamdb.engine.catalog.ColumnDef;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.catalog.ValueCoercion;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Binary row format: {@code seq(8) deleted(1) count(2)} then per non-null value {@code columnId(2) kind(1)
 * payload}. Column ids survive renames; values of dropped columns are skipped on read, columns added later
 * read as null, and a value stored under an older type is converted to the current one.
 *
 * <p>The format is frozen (ADR 0006, pinned by {@code RowCodecGoldenTest}): numbers are big-endian; {@code kind}
 * is {@link KalamType.Kind#code()}, never an ordinal. Payloads: BOOLEAN 1 byte (0/1); SMALLINT 2; INT and DATE
 * (epoch days) 4; FLOAT 4 (IEEE 754); BIGINT, TIMESTAMP, DATETIME (epoch µs), TIME (µs of day) and DOUBLE 8;
 * DECIMAL ({@code toPlainString}), TEXT, JSON and UUID as {@code length(4) utf8}; BYTES as {@code length(4)
 * bytes}.
 */
public final class RowCodec {
    private RowCodec() {
    }

    public static byte[] encode(List<ColumnDef> columns, Object[] values, long seq, boolean deleted) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + values.length * 16);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeLong(seq);
            out.writeBoolean(deleted);
            int count = 0;
            for (Object v : values) {
                if (v != null) {
                    count++;
                }
            }
            out.writeShort(count);
            for (int i = 0; i < values.length; i++) {
                Object v = values[i];
                if (v == null) {
                    continue;
                }
                ColumnDef c = columns.get(i);
                if (v instanceof String text) {
                    requireWellFormed(text, c.name());
                }
                out.writeShort(c.id());
                out.writeByte(c.type().kind().code());
                writeValue(out, c.type().kind(), v);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Refuses text with an unpaired UTF-16 surrogate: UTF-8 cannot hold it (it would be stored as {@code ?}), so
     * the stored row would differ from its key and from what was written.
     */
    private static void requireWellFormed(String text, String column) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new KalamException(KalamErrorCode.VALUE_OUT_OF_RANGE,
                        "text is not valid Unicode: an unpaired surrogate U+"
                        + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + " at index " + i + " [column="
                        + column + "]");
            }
        }
    }

    /** The same stored bytes with a new seq and deleted flag (for soft delete). */
    public static byte[] restamp(byte[] stored, long seq, boolean deleted) {
        byte[] copy = stored.clone();
        ByteBuffer.wrap(copy).putLong(0, seq).put(8, (byte) (deleted ? 1 : 0));
        return copy;
    }

    public static long seqOf(byte[] stored) {
        return ByteBuffer.wrap(stored).getLong(0);
    }

    public static boolean isDeleted(byte[] stored) {
        return stored[8] != 0;
    }

    public static StoredRow decode(TableDef table, byte[] stored) {
        ByteBuffer in = ByteBuffer.wrap(stored);
        long seq = in.getLong();
        boolean deleted = in.get() != 0;
        int count = in.getShort() & 0xffff;
        List<ColumnDef> columns = table.columns();
        Object[] values = new Object[columns.size()];
        for (int k = 0; k < count; k++) {
            int columnId = in.getShort() & 0xffff;
            KalamType.Kind kind = KalamType.Kind.fromCode(in.get());
            Object v = readValue(in, kind);
            int index = indexOfId(columns, columnId);
            if (index >= 0) {
                KalamType target = columns.get(index).type();
                values[index] = target.kind() == kind ? v : ValueCoercion.convertStored(v, kind, target);
            }
        }
        return new StoredRow(seq, deleted, values);
    }

    /**
     * One column's value without decoding the rest of the row (for filtering before a full decode); the value
     * is converted to the column's current type like {@link #decode} does.
     */
    public static Object decodeColumn(TableDef table, byte[] stored, int columnIndex) {
        ColumnDef target = table.columns().get(columnIndex);
        ByteBuffer in = ByteBuffer.wrap(stored);
        in.position(9);
        int count = in.getShort() & 0xffff;
        for (int k = 0; k < count; k++) {
            int columnId = in.getShort() & 0xffff;
            KalamType.Kind kind = KalamType.Kind.fromCode(in.get());
            if (columnId == target.id()) {
                Object v = readValue(in, kind);
                return target.type().kind() == kind ? v : ValueCoercion.convertStored(v, kind, target.type());
            }
            skipValue(in, kind);
        }
        return null;
    }

    private static void skipValue(ByteBuffer in, KalamType.Kind kind) {
        switch (kind) {
            case BOOLEAN -> in.position(in.position() + 1);
            case SMALLINT -> in.position(in.position() + 2);
            case INT, DATE, FLOAT -> in.position(in.position() + 4);
            case BIGINT, TIMESTAMP, DATETIME, TIME, DOUBLE -> in.position(in.position() + 8);
            case DECIMAL, TEXT, JSON, UUID, BYTES -> {
                int len = in.getInt();
                in.position(in.position() + len);
            }
        }
    }

    private static int indexOfId(List<ColumnDef> columns, int id) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).id() == id) {
                return i;
            }
        }
        return -1;
    }

    private static void writeValue(DataOutputStream out, KalamType.Kind kind, Object v) throws IOException {
        switch (kind) {
            case BOOLEAN -> out.writeBoolean((Boolean) v);
            case SMALLINT -> out.writeShort((Short) v);
            case INT, DATE -> out.writeInt((Integer) v);
            case BIGINT, TIMESTAMP, DATETIME, TIME -> out.writeLong((Long) v);
            case FLOAT -> out.writeFloat((Float) v);
            case DOUBLE -> out.writeDouble((Double) v);
            case DECIMAL, TEXT, JSON, UUID -> writeBytes(out, v.toString().getBytes(StandardCharsets.UTF_8));
            case BYTES -> writeBytes(out, (byte[]) v);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static Object readValue(ByteBuffer in, KalamType.Kind kind) {
        return switch (kind) {
            case BOOLEAN -> in.get() != 0;
            case SMALLINT -> in.getShort();
            case INT, DATE -> in.getInt();
            case BIGINT, TIMESTAMP, DATETIME, TIME -> in.getLong();
            case FLOAT -> in.getFloat();
            case DOUBLE -> in.getDouble();
            case DECIMAL -> new BigDecimal(readString(in));
            case TEXT, JSON, UUID -> readString(in);
            case BYTES -> readBytes(in);
        };
    }

    private static String readString(ByteBuffer in) {
        int len = in.getInt();
        String s = new String(in.array(), in.position(), len, StandardCharsets.UTF_8);
        in.position(in.position() + len);
        return s;
    }

    private static byte[] readBytes(ByteBuffer in) {
        byte[] b = new byte[in.getInt()];
        in.get(b);
        return b;
    }
}
