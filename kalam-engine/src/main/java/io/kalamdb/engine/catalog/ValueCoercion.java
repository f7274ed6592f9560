package io.kalamdb.engine.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import org.apache.calcite.avatica.util.ByteString;

/**
 * Converts incoming values (SQL literals, JSON parameters, query results) to a column's stored
 * representation (see {@code StatementResult}), or fails with a type-mismatch error naming the column.
 * Parameters are lenient (a BIGINT may arrive as the JSON string {@code "42"}); SQL literals are strict.
 */
public final class ValueCoercion {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BigDecimal MICROS_PER_SECOND = BigDecimal.valueOf(1_000_000);

    private ValueCoercion() {
    }

    public static Object coerce(Object value, KalamType type, boolean lenient, String column) {
        if (value == null) {
            return null;
        }
        try {
            return switch (type.kind()) {
                case BOOLEAN -> toBoolean(value, lenient, column);
                case SMALLINT -> {
                    long v = toIntegral(value, lenient, column, type);
                    if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                        throw outOfRange(column, type, value);
                    }
                    yield (short) v;
                }
                case INT -> {
                    long v = toIntegral(value, lenient, column, type);
                    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                        throw outOfRange(column, type, value);
                    }
                    yield (int) v;
                }
                case BIGINT -> toIntegral(value, lenient, column, type);
                case FLOAT -> (float) toDecimal(value, lenient, column, type).doubleValue();
                case DOUBLE -> toDecimal(value, lenient, column, type).doubleValue();
                case DECIMAL -> {
                    BigDecimal d = toDecimal(value, lenient, column, type).setScale(type.scale(), RoundingMode.HALF_UP);
                    if (d.precision() > type.precision()) {
                        throw outOfRange(column, type, value);
                    }
                    yield d;
                }
                case TEXT -> toText(value, lenient, column, type);
                case JSON -> {
                    String text = value instanceof String s ? s : JSON.writeValueAsString(value);
                    JSON.readTree(text);
                    yield text;
                }
                case UUID -> UUID.fromString(toText(value, true, column, type).trim()).toString();
                case BYTES -> toBytes(value);
                case TIMESTAMP, DATETIME -> Math.floorDiv(toMicros(value, column, type), 1000L) * 1000L;
                case DATE -> toDays(value, column, type);
                case TIME -> toTimeMicros(value, column, type);
            };
        } catch (JsonProcessingException e) {
            throw new KalamException(KalamErrorCode.TYPE_MISMATCH,
                    "invalid JSON value for column [column=" + column + "]: "
                    + e.getOriginalMessage());
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw mismatch(column, type, value);
        } catch (IllegalArgumentException e) {
            throw mismatch(column, type, value);
        }
    }

    /** Converts a value stored under an older column type to the current one (after MODIFY COLUMN). */
    public static Object convertStored(Object value, KalamType.Kind from, KalamType to) {
        try {
            return coerce(value, to, true, "?");
        } catch (KalamException e) {
            return null;
        }
    }

    private static Boolean toBoolean(Object v, boolean lenient, String column) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (lenient && v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw mismatch(column, KalamType.BOOLEAN, v);
    }

    private static long toIntegral(Object v, boolean lenient, String column, KalamType type) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        BigDecimal d;
        if (v instanceof BigDecimal b) {
            d = b;
        } else if (v instanceof BigInteger b) {
            d = new BigDecimal(b);
        } else if (v instanceof Double || v instanceof Float) {
            d = BigDecimal.valueOf(((Number) v).doubleValue());
        } else if (lenient && v instanceof String s) {
            d = new BigDecimal(s.trim());
        } else {
            throw mismatch(column, type, v);
        }
        try {
            return d.longValueExact();
        } catch (ArithmeticException e) {
            throw d.stripTrailingZeros().scale() > 0 ? mismatch(column, type, v) : outOfRange(column, type, v);
        }
    }

    private static BigDecimal toDecimal(Object v, boolean lenient, String column, KalamType type) {
        if (v instanceof BigDecimal b) {
            return b;
        }
        if (v instanceof Double || v instanceof Float) {
            return BigDecimal.valueOf(((Number) v).doubleValue());
        }
        if (v instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        if (lenient && v instanceof String s) {
            return new BigDecimal(s.trim());
        }
        throw mismatch(column, type, v);
    }

    private static String toText(Object v, boolean lenient, String column, KalamType type) {
        if (v instanceof String s) {
            return s;
        }
        if (lenient && (v instanceof Number || v instanceof Boolean)) {
            return v instanceof BigDecimal b ? b.toPlainString() : v.toString();
        }
        throw mismatch(column, type, v);
    }

    private static byte[] toBytes(Object v) {
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof ByteString b) {
            return b.getBytes();
        }
        return v.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long toMicros(Object v, String column, KalamType type) {
        if (v instanceof java.sql.Timestamp t) {
            return Math.multiplyExact(t.getTime(), 1000L);
        }
        if (v instanceof Number n) {
            return toIntegral(n, true, column, type);
        }
        if (v instanceof String s) {
            String t = s.trim();
            if (t.matches("-?\\d+")) {
                return Long.parseLong(t);
            }
            return parseInstantMicros(t);
        }
        throw mismatch(column, type, v);
    }

    /** Parses ISO-8601 or {@code YYYY-MM-DD[ HH:MM:SS[.ffffff]]} (UTC when no offset) into microseconds. */
    public static long parseInstantMicros(String text) {
        String t = text.replace(' ', 'T');
        Instant instant;
        if (t.length() == 10) {
            instant = LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
        } else if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:?\\d\\d$")) {
            instant = OffsetDateTime.parse(t).toInstant();
        } else {
            instant = LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        }
        return new BigDecimal(instant.getEpochSecond()).multiply(MICROS_PER_SECOND)
                .add(BigDecimal.valueOf(instant.getNano() / 1000)).longValueExact();
    }

    private static int toDays(Object v, String column, KalamType type) {
        if (v instanceof java.sql.Date d) {
            return (int) Math.floorDiv(d.getTime(), 86_400_000L);
        }
        if (v instanceof Number n) {
            return (int) toIntegral(n, true, column, type);
        }
        if (v instanceof String s) {
            return (int) LocalDate.parse(s.trim()).toEpochDay();
        }
        throw mismatch(column, type, v);
    }

    private static long toTimeMicros(Object v, String column, KalamType type) {
        if (v instanceof Number n) {
            return toIntegral(n, true, column, type);
        }
        if (v instanceof java.sql.Time t) {
            return t.getTime() * 1000L;
        }
        if (v instanceof String s) {
            return LocalTime.parse(s.trim()).toNanoOfDay() / 1000L;
        }
        throw mismatch(column, type, v);
    }

    private static KalamException mismatch(String column, KalamType type, Object value) {
        return new KalamException(KalamErrorCode.TYPE_MISMATCH,
                "type mismatch: cannot store " + describe(value) + " in column "
                + "[column=" + column + ", type=" + type.sqlName() + "]");
    }

    private static KalamException outOfRange(String column, KalamType type, Object value) {
        return new KalamException(KalamErrorCode.VALUE_OUT_OF_RANGE,
                "value out of range for column [column=" + column + ", type="
                + type.sqlName() + ", value=" + value + "]");
    }

    private static String describe(Object value) {
        String kind = value instanceof String ? "text" : value instanceof Boolean ? "boolean"
                : value instanceof Number ? "number" : value.getClass().getSimpleName();
        String shown = String.valueOf(value);
        if (shown.length() > 40) {
            shown = shown.substring(0, 40) + "…";
        }
        return kind + " value '" + shown + "'";
    }
}
