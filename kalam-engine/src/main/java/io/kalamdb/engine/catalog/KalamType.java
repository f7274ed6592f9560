package io.kalamdb.engine.catalog;

import io.kalamdb.engine.error.KalamException;

import java.util.Locale;

/**
 * A column's data type as KalamDB names it on the wire ({@code data_type} in a result schema).
 * DECIMAL carries precision and scale; every other kind has none.
 */
public record KalamType(Kind kind, int precision, int scale) {

    /**
     * The kinds of reference section 1.5, with their wire names and their stored byte codes. The code is what
     * a stored row writes before each value (ADR 0006): frozen, never reused, independent of declaration order.
     */
    public enum Kind {
        BOOLEAN("Boolean", 0), SMALLINT("SmallInt", 1), INT("Int", 2), BIGINT("BigInt", 3), FLOAT("Float", 4),
        DOUBLE("Double", 5), DECIMAL("Decimal", 6), TEXT("Text", 7), BYTES("Bytes", 8), JSON("Json", 9),
        TIMESTAMP("Timestamp", 10), DATETIME("DateTime", 11), DATE("Date", 12), TIME("Time", 13), UUID("Uuid", 14);

        private static final Kind[] BY_CODE = new Kind[256];

        static {
            for (Kind k : values()) {
                if (BY_CODE[k.code] != null) {
                    throw new IllegalStateException("two kinds share the stored code " + k.code);
                }
                BY_CODE[k.code] = k;
            }
        }

        private final String wireName;
        private final int code;

        Kind(String wireName, int code) {
            this.wireName = wireName;
            this.code = code;
        }

        public String wireName() {
            return wireName;
        }

        /** The frozen byte that stands for this kind in stored rows. */
        public byte code() {
            return (byte) code;
        }

        /** The kind a stored byte stands for; an unknown byte means damaged or foreign data and is refused. */
        public static Kind fromCode(byte code) {
            Kind k = BY_CODE[code & 0xff];
            if (k == null) {
                throw KalamException.internal("unknown column type code in stored data [code=" + (code & 0xff)
                        + "]", null);
            }
            return k;
        }
    }

    public static final KalamType BOOLEAN = of(Kind.BOOLEAN);
    public static final KalamType SMALLINT = of(Kind.SMALLINT);
    public static final KalamType INT = of(Kind.INT);
    public static final KalamType BIGINT = of(Kind.BIGINT);
    public static final KalamType FLOAT = of(Kind.FLOAT);
    public static final KalamType DOUBLE = of(Kind.DOUBLE);
    public static final KalamType TEXT = of(Kind.TEXT);
    public static final KalamType BYTES = of(Kind.BYTES);
    public static final KalamType JSON = of(Kind.JSON);
    public static final KalamType TIMESTAMP = of(Kind.TIMESTAMP);
    public static final KalamType DATETIME = of(Kind.DATETIME);
    public static final KalamType DATE = of(Kind.DATE);
    public static final KalamType TIME = of(Kind.TIME);
    public static final KalamType UUID = of(Kind.UUID);

    private static KalamType of(Kind kind) {
        return new KalamType(kind, 0, 0);
    }

    public static KalamType decimal(int precision, int scale) {
        if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
            throw KalamException.invalidSql("invalid DECIMAL precision or scale [precision=" + precision
                    + ", scale=" + scale + "] (1 <= precision <= 38, 0 <= scale <= precision)");
        }
        return new KalamType(Kind.DECIMAL, precision, scale);
    }

    /**
     * Resolves an SQL type spelling (as written in CREATE TABLE) to a type.
     *
     * @param args the numbers in parentheses after the name, possibly empty
     */
    public static KalamType fromSql(String name, int[] args) {
        String n = name.toUpperCase(Locale.ROOT);
        return switch (n) {
            case "BOOLEAN", "BOOL" -> BOOLEAN;
            case "SMALLINT", "INT2", "TINYINT" -> SMALLINT;
            case "INT", "INTEGER", "INT4", "MEDIUMINT" -> INT;
            case "BIGINT", "INT8" -> BIGINT;
            case "FLOAT", "REAL", "FLOAT4" -> FLOAT;
            case "DOUBLE", "FLOAT8", "DOUBLE PRECISION" -> DOUBLE;
            case "DECIMAL", "NUMERIC" -> args.length == 0 ? decimal(38, 10)
                    : decimal(args[0], args.length > 1 ? args[1] : 0);
            case "TEXT", "VARCHAR", "CHAR", "STRING", "NVARCHAR", "CHARACTER VARYING" -> TEXT;
            case "BYTES", "BINARY", "VARBINARY", "BLOB", "BYTEA" -> BYTES;
            case "JSON", "JSONB" -> JSON;
            case "TIMESTAMP" -> TIMESTAMP;
            case "DATETIME", "TIMESTAMPTZ" -> DATETIME;
            case "DATE" -> DATE;
            case "TIME" -> TIME;
            case "UUID" -> UUID;
            default -> throw KalamException.invalidSql("unknown data type [type=" + name + "]");
        };
    }

    /** The type as written back in DESCRIBE TABLE and system.columns. */
    public String sqlName() {
        return switch (kind) {
            case DECIMAL -> "DECIMAL(" + precision + "," + scale + ")";
            default -> kind.name();
        };
    }

    /** The wire form of {@code data_type}: a string, or {Decimal:{precision,scale}} for decimals. */
    public Object wireType() {
        if (kind == Kind.DECIMAL) {
            return java.util.Map.of("Decimal", java.util.Map.of("precision", precision, "scale", scale));
        }
        return kind.wireName();
    }
}
