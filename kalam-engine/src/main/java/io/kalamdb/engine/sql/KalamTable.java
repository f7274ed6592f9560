package io.kalamdb.engine.sql;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.StatementControl;
import io.kalamdb.engine.catalog.ColumnDef;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.catalog.TableType;
import io.kalamdb.engine.hot.KeyCodec;
import io.kalamdb.engine.hot.PartitionReader;
import io.kalamdb.engine.hot.RowCodec;
import io.kalamdb.engine.util.SnowflakeGenerator;

import java.util.Arrays;
import java.util.List;

import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * A user table as Calcite sees it: the user columns followed by {@code _seq} and {@code _deleted}, read through a
 * {@link PartitionReader} within the partition of the current {@link ScanScope}. Calcite plans it as a
 * {@link KScan}, which asks for only what storage answers exactly ({@link ScanSpec}); soft-deleted rows are hidden
 * unless the statement names {@code _deleted}, expired rows of a STREAM table are skipped, and every row read
 * checks the request's {@link StatementControl} (deadline, cancellation).
 */
public final class KalamTable extends AbstractTable implements TranslatableTable {
    private final TableDef def;
    private final PartitionReader reader;

    public KalamTable(TableDef def, PartitionReader reader) {
        this.def = requireNonNull(def, "def is null");
        this.reader = requireNonNull(reader, "reader is null");
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

    /** No collation is declared: the scan can run in either direction, and says so per plan. */
    @Override
    public Statistic getStatistic() {
        return Statistics.of(1_000_000d, List.of(ImmutableBitSet.of(def.primaryKeyIndex())));
    }

    @Override
    public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
        return KScan.create(context.getCluster(), relOptTable, this, ScanSpec.full());
    }

    /** The partition a scan in this scope reads. */
    public String partitionFor(ScanScope scope) {
        return def.type().isPerUser() ? scope.userId() : "";
    }

    /**
     * The rows {@code spec} asks for, in the current scope, as rows of {@link #rowType}. Called by the code Calcite
     * generates for a {@link KScan}; the bounds' parameters are read from {@code root}.
     */
    public Enumerable<Object[]> scan(DataContext root, ScanSpec spec) {
        ScanScope scope = ScanScope.current();
        byte[] partition = KeyCodec.partitionPrefix(def.id(), partitionFor(scope));
        boolean includeDeleted = scope.includeDeleted();
        boolean reverse = spec.order() == ScanSpec.Order.PK_DESC;
        ScanKeys keys = ScanKeys.of(def, spec, root);
        if (keys == null) {
            return Linq4j.emptyEnumerable();
        }
        long expiredBeforeMs = def.type() == TableType.STREAM && def.ttlSeconds() != null
                ? io.kalamdb.engine.util.Ids.statementMillis() - def.ttlSeconds() * 1000 : Long.MIN_VALUE;
        // index entries exist for live rows only: a statement that sees deleted rows filters the partition instead
        boolean byIndex = spec.access() == ScanSpec.Access.INDEX_EQ && !includeDeleted;
        byte[] indexValue = spec.access() == ScanSpec.Access.INDEX_EQ ? keys.from() : null;
        int indexColumn = spec.column();
        PartitionReader reader = scope.readerOr(this.reader);
        return new AbstractEnumerable<>() {
            @Override
            public Enumerator<Object[]> enumerator() {
                PartitionReader.RowCursor cursor = byIndex
                        ? reader.scanIndex(partition, def.columns().get(indexColumn).id(), indexValue, reverse)
                        : indexValue != null ? reader.scanKeys(partition, null, null, reverse)
                        : reader.scanKeys(partition, keys.from(), keys.to(), reverse);
                return new Enumerator<>() {
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
                            if (SnowflakeGenerator.timestampMs(RowCodec.seqOf(value)) < expiredBeforeMs) {
                                continue;
                            }
                            if (!byIndex && indexValue != null && !hasIndexValue(value, indexColumn, indexValue)) {
                                continue;
                            }
                            current = CalciteTypes.internalRow(def, RowCodec.decode(def, value));
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

    /** Whether the stored row's column has the value whose index key is {@code key} (what an index entry says). */
    private boolean hasIndexValue(byte[] stored, int column, byte[] key) {
        Object v = RowCodec.decodeColumn(def, stored, column);
        return v != null && Arrays.equals(KeyCodec.encodePk(def.columns().get(column).type(), v), key);
    }
}
