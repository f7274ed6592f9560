package io.kalamdb.engine.sql;

import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.hot.KeyCodec;
import io.kalamdb.engine.hot.PartitionReader;

import java.math.BigDecimal;
import java.util.Arrays;

import org.apache.calcite.DataContext;
import org.apache.calcite.util.NlsString;

/**
 * The key bytes a {@link ScanSpec} reads at run time: its bounds' values (constants or parameters, in Calcite's
 * internal representation) turned into stored values and encoded as keys. {@code from} is inclusive and {@code to}
 * exclusive; for INDEX_EQ {@code from} is the encoded index value. A timestamp bound in milliseconds covers every
 * stored microsecond of that millisecond, as Calcite sees the stored value truncated to milliseconds.
 *
 * @param from the first key, or null
 * @param to the key after the last, or null
 */
record ScanKeys(byte[] from, byte[] to) {

    /** The keys of {@code spec}, or null when no row can match (a NULL bound, or an empty range). */
    static ScanKeys of(TableDef def, ScanSpec spec, DataContext root) {
        if (spec.access() == ScanSpec.Access.FULL) {
            return new ScanKeys(null, null);
        }
        KalamType type = def.columns().get(spec.column()).type();
        byte[] from = null;
        byte[] to = null;
        if (spec.lo() != null) {
            Object v = spec.lo().resolve(root);
            if (v == null) {
                return null;
            }
            from = spec.access() == ScanSpec.Access.INDEX_EQ ? KeyCodec.encodePk(type, stored(type, v))
                    : lower(type, v, spec.lo().inclusive());
        }
        if (spec.hi() != null) {
            Object v = spec.hi().resolve(root);
            if (v == null) {
                return null;
            }
            to = upper(type, v, spec.hi().inclusive());
        }
        if (from != null && to != null && Arrays.compareUnsigned(from, to) >= 0) {
            return null;
        }
        return new ScanKeys(from, to);
    }

    private static boolean isMillis(KalamType type) {
        return type.kind() == KalamType.Kind.TIMESTAMP || type.kind() == KalamType.Kind.DATETIME;
    }

    private static byte[] lower(KalamType type, Object v, boolean inclusive) {
        if (isMillis(type)) {
            long ms = number(v).longValue();
            return KeyCodec.encodePk(type, micros(inclusive ? ms : saturatedIncrement(ms)));
        }
        byte[] key = KeyCodec.encodePk(type, stored(type, v));
        return inclusive ? key : PartitionReader.after(key);
    }

    private static byte[] upper(KalamType type, Object v, boolean inclusive) {
        if (isMillis(type)) {
            long ms = number(v).longValue();
            return KeyCodec.encodePk(type, micros(inclusive ? saturatedIncrement(ms) : ms));
        }
        byte[] key = KeyCodec.encodePk(type, stored(type, v));
        return inclusive ? PartitionReader.after(key) : key;
    }

    private static long saturatedIncrement(long v) {
        return v == Long.MAX_VALUE ? v : v + 1;
    }

    private static long micros(long ms) {
        try {
            return Math.multiplyExact(ms, 1000L);
        } catch (ArithmeticException e) {
            return ms < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** A bound value in the stored representation of {@code type} (only the types the scan rules push). */
    private static Object stored(KalamType type, Object v) {
        return switch (type.kind()) {
            case SMALLINT, INT, BIGINT, DATE -> v instanceof BigDecimal d ? d.longValueExact() : number(v).longValue();
            case DECIMAL -> v instanceof BigDecimal d ? d : new BigDecimal(number(v).toString());
            case TEXT, JSON, UUID -> v instanceof NlsString n ? n.getValue() : text(v);
            case BOOLEAN -> {
                if (v instanceof Boolean b) {
                    yield b;
                }
                throw wrongType(type, v);
            }
            default -> throw wrongType(type, v);
        };
    }

    private static Number number(Object v) {
        if (v instanceof Number n) {
            return n;
        }
        if (v instanceof java.util.Date d) {
            return d.getTime();
        }
        throw new KalamException(KalamErrorCode.TYPE_MISMATCH,
                "a value has the wrong type for this operation (check the types of the parameters and columns)");
    }

    private static String text(Object v) {
        if (v instanceof String s) {
            return s;
        }
        throw new KalamException(KalamErrorCode.TYPE_MISMATCH,
                "a value has the wrong type for this operation (check the types of the parameters and columns)");
    }

    private static KalamException wrongType(KalamType type, Object v) {
        return new KalamException(KalamErrorCode.TYPE_MISMATCH, "a value has the wrong type for this "
                + "operation (check the types of the parameters and columns) [type=" + type.sqlName() + "]");
    }
}
