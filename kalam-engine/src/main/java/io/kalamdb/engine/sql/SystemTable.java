package io.kalamdb.engine.sql;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.ColumnInfo;
import io.kalamdb.engine.StatementControl;
import io.kalamdb.engine.catalog.KalamType;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.impl.AbstractTable;

/** A read-only {@code system.*} view computed from engine state on each scan. */
public final class SystemTable extends AbstractTable implements ScannableTable {
    private final String name;
    private final List<ColumnInfo> columns;
    private final Supplier<List<Object[]>> rows;

    public SystemTable(String name, List<ColumnInfo> columns, Supplier<List<Object[]>> rows) {
        this.name = requireNonNull(name, "name is null");
        this.columns = List.copyOf(columns);
        this.rows = requireNonNull(rows, "rows is null");
    }

    public String name() {
        return name;
    }

    public List<ColumnInfo> columns() {
        return columns;
    }

    /** Rows in stored representation (see {@code StatementResult}). */
    public List<Object[]> rows() {
        return rows.get();
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory f) {
        RelDataTypeFactory.Builder b = f.builder();
        for (ColumnInfo c : columns) {
            b.add(c.name(), CalciteTypes.relType(f, c.type(), !c.flags().contains("pk")));
        }
        return b.build();
    }

    @Override
    public Enumerable<Object[]> scan(DataContext root) {
        List<Object[]> out = new ArrayList<>();
        for (Object[] r : rows.get()) {
            Object[] internal = new Object[r.length];
            for (int i = 0; i < r.length; i++) {
                internal[i] = CalciteTypes.toInternal(columns.get(i).type(), r[i]);
            }
            out.add(internal);
        }
        return new AbstractEnumerable<>() {
            @Override
            public Enumerator<Object[]> enumerator() {
                return new CheckedEnumerator(Linq4j.enumerator(out));
            }
        };
    }

    /** Checks the request's deadline and cancel flag at every row, as table scans do. */
    private record CheckedEnumerator(Enumerator<Object[]> rows) implements Enumerator<Object[]> {
        @Override
        public Object[] current() {
            return rows.current();
        }

        @Override
        public boolean moveNext() {
            StatementControl.checkCurrent();
            return rows.moveNext();
        }

        @Override
        public void reset() {
            rows.reset();
        }

        @Override
        public void close() {
            rows.close();
        }
    }

    /** Column helper: a primary-key column. */
    public static ColumnInfo pk(String name, KalamType type) {
        return new ColumnInfo(name, type, List.of("pk", "nn", "uq"));
    }

    public static ColumnInfo col(String name, KalamType type) {
        return new ColumnInfo(name, type, List.of());
    }
}
