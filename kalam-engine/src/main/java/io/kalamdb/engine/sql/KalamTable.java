package io.kalamdb.engine.sql;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.StatementControl;
import io.kalamdb.engine.catalog.ColumnDef;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.catalog.TableType;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.hot.KeyCodec;
import io.kalamdb.engine.hot.RowCodec;
import io.kalamdb.engine.hot.Space;
import io.kalamdb.engine.hot.StoredRow;
import io.kalamdb.engine.util.SnowflakeGenerator;

import java.util.List;

import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A user table as Calcite sees it: the user columns followed by {@code _seq} and {@code _deleted}, scanned
 * from the hot store in primary-key order within the partition of the current {@link ScanScope}. Every row read
 * checks the request's {@link StatementControl} (deadline, cancellation).
 */
public final class KalamTable extends AbstractTable implements ScannableTable {
    private final TableDef def;
    private final HotStore store;

    public KalamTable(TableDef def, HotStore store) {
        this.def = requireNonNull(def, "def is null");
        this.store = requireNonNull(store, "store is null");
    }

    public TableDef def() {
        return def;
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory f) {
        return rowType(f, def);
    }

    /** The row type of {@code def}: its user columns, then {@code _seq} and {@code _deleted}. */
    public static RelDataType rowType(RelDataTypeFactory f, TableDef def) {
        RelDataTypeFactory.Builder b = f.builder();
        for (ColumnDef c : def.columns()) {
            b.add(c.name(), CalciteTypes.relType(f, c.type(), !c.primaryKey()));
        }
        b.add(TableDef.SEQ, f.createSqlType(SqlTypeName.BIGINT));
        b.add(TableDef.DELETED, f.createSqlType(SqlTypeName.BOOLEAN));
        return b.build();
    }

    /** The partition a scan in this scope reads. */
    public String partitionFor(ScanScope scope) {
        return def.type().isPerUser() ? scope.userId() : "";
    }

    @Override
    public Enumerable<Object[]> scan(DataContext root) {
        ScanScope scope = ScanScope.current();
        byte[] prefix = KeyCodec.partitionPrefix(def.id(), partitionFor(scope));
        boolean includeDeleted = scope.includeDeleted();
        long expiredBeforeMs = def.type() == TableType.STREAM && def.ttlSeconds() != null
                ? System.currentTimeMillis() - def.ttlSeconds() * 1000 : Long.MIN_VALUE;
        List<ColumnDef> columns = def.columns();
        return new AbstractEnumerable<>() {
            @Override
            public Enumerator<Object[]> enumerator() {
                return new Enumerator<>() {
                    private final HotStore.Cursor cursor = store.scan(Space.ROWS, prefix, false);
                    private Object[] current;

                    @Override
                    public Object[] current() {
                        return current;
                    }

                    @Override
                    public boolean moveNext() {
                        while (cursor.next()) {
                            StatementControl.checkCurrent();
                            byte[] value = cursor.value();
                            if (!includeDeleted && RowCodec.isDeleted(value)) {
                                continue;
                            }
                            StoredRow row = RowCodec.decode(def, value);
                            if (SnowflakeGenerator.timestampMs(row.seq()) < expiredBeforeMs) {
                                continue;
                            }
                            Object[] out = new Object[columns.size() + 2];
                            for (int i = 0; i < columns.size(); i++) {
                                out[i] = CalciteTypes.toInternal(columns.get(i).type(), row.values()[i]);
                            }
                            out[columns.size()] = row.seq();
                            out[columns.size() + 1] = row.deleted();
                            current = out;
                            return true;
                        }
                        return false;
                    }

                    @Override
                    public void reset() {
                        throw new UnsupportedOperationException("reset");
                    }

                    @Override
                    public void close() {
                        cursor.close();
                    }
                };
            }
        };
    }
}
