package io.kalamdb.engine.catalog;

import io.kalamdb.engine.error.KalamException;

import java.util.Locale;

/**
 * A column's data type as KalamDB names it on the wire ({@code data_type} in a result schema).
 * DECIMAL carries precision and scale; every other kind has none.
 */
public record KalamType(Kind kind, int precision, int scale) {

    /** The kinds of reference section 1.5, with their wire names. */
    public enum Kind {
        BOOLEAN("Boolean"), SMALLINT("SmallInt"), INT("Int"), BIGINT("BigInt"), FLOAT("Float"), DOUBLE("Double"),
        DECIMAL("Decimal"), TEXT("Text"), BYTES("Bytes"), JSON("Json"), TIMESTAMP("Timestamp"),
        DATETIME("DateTime"), DATE("Date"), TIME("Time"), UUID("Uuid");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
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
