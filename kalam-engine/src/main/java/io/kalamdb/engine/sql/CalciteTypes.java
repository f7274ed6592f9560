package io.kalamdb.engine.sql;

import io.kalamdb.engine.catalog.ColumnDef;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.hot.StoredRow;

import java.sql.Types;
import java.util.List;

import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Maps KalamDB types to Calcite types and stored values to Calcite's internal representation
 * (timestamps as epoch milliseconds, dates as epoch days, times as milliseconds of day, bytes as ByteString).
 * Calcite keeps timestamps at millisecond precision, so sub-millisecond digits do not survive a query.
 */
public final class CalciteTypes {
    private CalciteTypes() {
    }

    public static RelDataType relType(RelDataTypeFactory f, KalamType type, boolean nullable) {
        RelDataType t = switch (type.kind()) {
            case BOOLEAN -> f.createSqlType(SqlTypeName.BOOLEAN);
            case SMALLINT -> f.createSqlType(SqlTypeName.SMALLINT);
            case INT -> f.createSqlType(SqlTypeName.INTEGER);
            case BIGINT -> f.createSqlType(SqlTypeName.BIGINT);
            case FLOAT -> f.createSqlType(SqlTypeName.REAL);
            case DOUBLE -> f.createSqlType(SqlTypeName.DOUBLE);
            case DECIMAL -> f.createSqlType(SqlTypeName.DECIMAL, type.precision(), type.scale());
            case TEXT, JSON, UUID -> f.createSqlType(SqlTypeName.VARCHAR);
            case BYTES -> f.createSqlType(SqlTypeName.VARBINARY);
            case TIMESTAMP, DATETIME -> f.createSqlType(SqlTypeName.TIMESTAMP, 3);
            case DATE -> f.createSqlType(SqlTypeName.DATE);
            case TIME -> f.createSqlType(SqlTypeName.TIME, 3);
        };
        return f.createTypeWithNullability(t, nullable);
    }

    /** A stored value in Calcite's internal representation. */
    public static Object toInternal(KalamType type, Object v) {
        if (v == null) {
            return null;
        }
        return switch (type.kind()) {
            case TIMESTAMP, DATETIME -> Math.floorDiv((Long) v, 1000L);
            case TIME -> (int) ((Long) v / 1000L);
            case BYTES -> new ByteString((byte[]) v);
            default -> v;
        };
    }

    /**
     * A stored row as a row of {@link KalamTable#rowType}: the user columns in internal representation, then
     * {@code _seq} and {@code _deleted}. A value missing from a shorter stored row is null.
     */
    public static Object[] internalRow(TableDef table, StoredRow row) {
        List<ColumnDef> columns = table.columns();
        Object[] values = row.values();
        Object[] out = new Object[columns.size() + 2];
        for (int i = 0; i < columns.size() && i < values.length; i++) {
            out[i] = toInternal(columns.get(i).type(), values[i]);
        }
        out[columns.size()] = row.seq();
        out[columns.size() + 1] = row.deleted();
        return out;
    }

    /** The KalamDB type of a result column known only by its JDBC type. */
    public static KalamType fromJdbc(int jdbcType, int precision, int scale) {
        return switch (jdbcType) {
            case Types.BOOLEAN, Types.BIT -> KalamType.BOOLEAN;
            case Types.TINYINT, Types.SMALLINT -> KalamType.SMALLINT;
            case Types.INTEGER -> KalamType.INT;
            case Types.BIGINT -> KalamType.BIGINT;
            case Types.REAL -> KalamType.FLOAT;
            case Types.FLOAT, Types.DOUBLE -> KalamType.DOUBLE;
            case Types.DECIMAL, Types.NUMERIC -> KalamType.decimal(Math.max(1, Math.min(38, precision)),
                    Math.max(0, Math.min(Math.min(38, precision), scale)));
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> KalamType.BYTES;
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> KalamType.TIMESTAMP;
            case Types.DATE -> KalamType.DATE;
            case Types.TIME, Types.TIME_WITH_TIMEZONE -> KalamType.TIME;
            default -> KalamType.TEXT;
        };
    }
}
