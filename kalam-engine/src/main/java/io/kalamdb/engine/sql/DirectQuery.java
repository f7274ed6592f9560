package io.kalamdb.engine.sql;

import io.kalamdb.engine.ColumnInfo;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.ColumnDef;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.catalog.TableType;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.hot.KeyCodec;
import io.kalamdb.engine.hot.RowCodec;
import io.kalamdb.engine.hot.Space;
import io.kalamdb.engine.hot.StoredRow;
import io.kalamdb.engine.util.SnowflakeGenerator;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;

/**
 * A direct path for the hot query shape — one table, plain columns, a conjunction of column-vs-value
 * comparisons, ordered by the primary key or {@code _seq}, with a LIMIT — such as "the last 20 messages of a
 * thread". It walks the partition in key order (or the seq index) and stops once the limit is filled,
 * instead of planning with Calcite and sorting the whole partition. Anything else returns null from
 * {@link #plan} and goes to Calcite.
 */
final class DirectQuery {
    private static final int SEQ = -1;
    private static final int DELETED = -2;

    private final TableDef table;
    private final int[] projection;
    private final List<ColumnInfo> schema;
    private final List<Predicate> predicates;
    private final boolean bySeq;
    private final boolean descending;
    private final SqlNode fetch;
    private final SqlNode offset;

    private record Predicate(int column, SqlKind op, SqlNode operand) {
    }

    /** The one table this plan reads. */
    TableDef table() {
        return table;
    }

    private DirectQuery(TableDef table, int[] projection, List<ColumnInfo> schema, List<Predicate> predicates,
                        boolean bySeq, boolean descending, SqlNode fetch, SqlNode offset) {
        this.table = table;
        this.projection = projection;
        this.schema = schema;
        this.predicates = predicates;
        this.bySeq = bySeq;
        this.descending = descending;
        this.fetch = fetch;
        this.offset = offset;
    }

    /**
     * A direct plan for {@code node}, or null when the query needs the general planner. The shape admitted reads
     * exactly one table, the one its FROM names ({@link #table()}), and nothing else: no sub-query can hide in a
     * plain column, a column-vs-value comparison or a literal limit.
     */
    static DirectQuery plan(SqlNode node, Stmt.Query q, Catalog catalog, String defaultNamespace) {
        SqlNodeList orderList = null;
        SqlNode fetch = null;
        SqlNode offset = null;
        if (node instanceof SqlOrderBy ob) {
            orderList = ob.orderList;
            fetch = ob.fetch;
            offset = ob.offset;
            node = ob.query;
        }
        if (!(node instanceof SqlSelect s) || q.explain()) {
            return null;
        }
        if (s.isDistinct() || s.getGroup() != null || s.getHaving() != null || s.getWindowList().size() > 0
                || !(s.getFrom() instanceof SqlIdentifier from) || from.names.size() > 2
                || s.getQualify() != null) {
            return null;
        }
        if (s.getOrderList() != null && s.getOrderList().size() > 0) {
            orderList = s.getOrderList();
        }
        fetch = fetch != null ? fetch : s.getFetch();
        offset = offset != null ? offset : s.getOffset();
        Stmt.TableRef ref = KalamParser.tableRef(from.names, defaultNamespace);
        TableDef t = catalog.table(ref.namespace(), ref.name());
        if (t == null || t.type() == TableType.SYSTEM || t.primaryKey() == null) {
            return null;
        }
        List<Integer> proj = new ArrayList<>();
        List<ColumnInfo> schema = new ArrayList<>();
        for (SqlNode item : s.getSelectList()) {
            String label = null;
            SqlNode expr = item;
            if (item instanceof SqlBasicCall as && as.getKind() == SqlKind.AS) {
                expr = as.operand(0);
                label = ((SqlIdentifier) as.operand(1)).getSimple();
            }
            if (!(expr instanceof SqlIdentifier id)) {
                return null;
            }
            if (id.isStar()) {
                if (id.names.size() != 1 || label != null) {
                    return null;
                }
                for (int i = 0; i < t.columns().size(); i++) {
                    proj.add(i);
                    schema.add(info(t, i, null));
                }
                proj.add(SEQ);
                schema.add(info(t, SEQ, null));
                proj.add(DELETED);
                schema.add(info(t, DELETED, null));
                continue;
            }
            Integer col = column(t, id);
            if (col == null) {
                return null;
            }
            proj.add(col);
            schema.add(info(t, col, label));
        }
        List<Predicate> predicates = new ArrayList<>();
        if (s.getWhere() != null && !collect(s.getWhere(), t, predicates)) {
            return null;
        }
        boolean bySeq = false;
        boolean descending = false;
        if (orderList != null && orderList.size() > 0) {
            if (orderList.size() != 1) {
                return null;
            }
            SqlNode o = orderList.get(0);
            if (o.getKind() == SqlKind.DESCENDING) {
                descending = true;
                o = ((SqlCall) o).operand(0);
            }
            if (!(o instanceof SqlIdentifier oid)) {
                return null;
            }
            Integer col = column(t, oid);
            if (col == null || (col != SEQ && col != t.primaryKeyIndex())) {
                return null;
            }
            bySeq = col == SEQ;
        }
        if (!isValue(fetch) || !isValue(offset)) {
            return null;
        }
        return new DirectQuery(t, proj.stream().mapToInt(Integer::intValue).toArray(), schema, predicates, bySeq,
                descending, fetch, offset);
    }

    private static boolean isValue(SqlNode n) {
        return n == null || n.getKind() == SqlKind.LITERAL || n.getKind() == SqlKind.DYNAMIC_PARAM;
    }

    private static boolean collect(SqlNode n, TableDef t, List<Predicate> out) {
        if (!(n instanceof SqlBasicCall call)) {
            return false;
        }
        SqlKind k = call.getKind();
        if (k == SqlKind.AND) {
            for (SqlNode operand : call.getOperandList()) {
                if (!collect(operand, t, out)) {
                    return false;
                }
            }
            return true;
        }
        if (k == SqlKind.IS_NULL || k == SqlKind.IS_NOT_NULL) {
            Integer col = call.operand(0) instanceof SqlIdentifier id ? column(t, id) : null;
            if (col == null) {
                return false;
            }
            out.add(new Predicate(col, k, null));
            return true;
        }
        if (k != SqlKind.EQUALS && k != SqlKind.NOT_EQUALS && k != SqlKind.LESS_THAN
                && k != SqlKind.LESS_THAN_OR_EQUAL && k != SqlKind.GREATER_THAN
                && k != SqlKind.GREATER_THAN_OR_EQUAL) {
            return false;
        }
        SqlNode left = call.operand(0);
        SqlNode right = call.operand(1);
        if (left instanceof SqlIdentifier id && !(right instanceof SqlIdentifier) && isValue(right)) {
            Integer col = column(t, id);
            if (col == null) {
                return false;
            }
            out.add(new Predicate(col, k, right));
            return true;
        }
        if (right instanceof SqlIdentifier id && !(left instanceof SqlIdentifier) && isValue(left)) {
            Integer col = column(t, id);
            if (col == null) {
                return false;
            }
            out.add(new Predicate(col, k.reverse(), left));
            return true;
        }
        return false;
    }

    /** The column an identifier names (index, SEQ or DELETED), or null. */
    private static Integer column(TableDef t, SqlIdentifier id) {
        if (id.names.size() > 2 || (id.names.size() == 2 && !id.names.get(0).equalsIgnoreCase(t.name()))) {
            return null;
        }
        String name = id.names.get(id.names.size() - 1);
        if (name.equalsIgnoreCase(TableDef.SEQ)) {
            return SEQ;
        }
        if (name.equalsIgnoreCase(TableDef.DELETED)) {
            return DELETED;
        }
        int idx = t.columnIndex(name);
        return idx < 0 ? null : idx;
    }

    private static ColumnInfo info(TableDef t, int col, String label) {
        if (col == SEQ) {
            return new ColumnInfo(label != null ? label : TableDef.SEQ, KalamType.BIGINT, List.of());
        }
        if (col == DELETED) {
            return new ColumnInfo(label != null ? label : TableDef.DELETED, KalamType.BOOLEAN, List.of());
        }
        ColumnDef c = t.columns().get(col);
        List<String> flags = c.primaryKey() ? List.of("pk", "nn", "uq") : c.nullable() ? List.of() : List.of("nn");
        return new ColumnInfo(label != null ? label : c.name(), c.type(), flags);
    }

    private KalamType typeOf(int col) {
        return col == SEQ ? KalamType.BIGINT : col == DELETED ? KalamType.BOOLEAN : table.columns().get(col).type();
    }

    /**
     * Runs the plan in {@code scope}, returning at most {@code maxRows} rows that fit in {@code budget} (and
     * whether more exist).
     */
    QueryRunner.Output run(HotStore store, List<Object> params, ScanScope scope, int maxRows, ResultBudget budget) {
        Object[] operands = new Object[predicates.size()];
        for (int i = 0; i < operands.length; i++) {
            Predicate p = predicates.get(i);
            if (p.operand() != null) {
                ExpressionEvaluator.Value v = ExpressionEvaluator.eval(p.operand(), params, scope.userId());
                operands[i] = v.value() == null ? null : operand(v.value(), typeOf(p.column()));
            }
        }
        long limit = fetch == null ? Long.MAX_VALUE : number(fetch, params);
        long skip = offset == null ? 0 : number(offset, params);
        long take = Math.min(limit, maxRows);
        boolean cutByEngine = limit > maxRows;
        String partition = table.type().isPerUser() ? scope.userId() : "";
        byte[] prefix = KeyCodec.partitionPrefix(table.id(), partition);
        long expiredBeforeMs = table.type() == TableType.STREAM && table.ttlSeconds() != null
                ? System.currentTimeMillis() - table.ttlSeconds() * 1000 : Long.MIN_VALUE;
        List<Object[]> rows = new ArrayList<>();
        boolean hasMore = false;
        int lookup = indexedLookup(operands, scope);
        byte[] indexPrefix = lookup < 0 ? null : KeyCodec.indexPrefix(prefix,
                table.columns().get(predicates.get(lookup).column()).id(),
                KeyCodec.encodePk(typeOf(predicates.get(lookup).column()), operands[lookup]));
        Space space = indexPrefix != null ? Space.INDEX : bySeq ? Space.SEQ_INDEX : Space.ROWS;
        try (HotStore.Cursor c = store.scan(space, indexPrefix != null ? indexPrefix : prefix, descending)) {
            while (c.next()) {
                io.kalamdb.engine.StatementControl.checkCurrent();
                byte[] value;
                if (indexPrefix != null) {
                    byte[] key = c.key();
                    byte[] pk = java.util.Arrays.copyOfRange(key, indexPrefix.length, key.length);
                    value = store.get(Space.ROWS, KeyCodec.rowKey(prefix, pk));
                } else {
                    value = bySeq ? store.get(Space.ROWS, c.value()) : c.value();
                }
                if (value == null || (!scope.includeDeleted() && RowCodec.isDeleted(value))
                        || SnowflakeGenerator.timestampMs(RowCodec.seqOf(value)) < expiredBeforeMs
                        || !matchesEncoded(value, operands)) {
                    continue;
                }
                StoredRow row = RowCodec.decode(table, value);
                if (skip > 0) {
                    skip--;
                    continue;
                }
                if (rows.size() >= take) {
                    hasMore = cutByEngine;
                    break;
                }
                Object[] out = new Object[projection.length];
                for (int i = 0; i < projection.length; i++) {
                    out[i] = valueOf(row, projection[i]);
                }
                if (!budget.admit(out)) {
                    hasMore = true;
                    break;
                }
                rows.add(out);
            }
        }
        return new QueryRunner.Output(schema, rows, hasMore);
    }

    /**
     * An operand in the column's stored type, except that a number compared with a DECIMAL column keeps its exact
     * value: Calcite compares {@code d = 1.505} on a DECIMAL(12,2) column exactly (no row matches), where rounding
     * to the column's scale would match 1.51.
     */
    private static Object operand(Object value, KalamType type) {
        if (type.kind() == KalamType.Kind.DECIMAL && (value instanceof Number || value instanceof String)) {
            try {
                return value instanceof BigDecimal d ? d : new BigDecimal(value.toString().trim());
            } catch (NumberFormatException e) {
                // not a number: the coercion below reports it as the column's type mismatch
            }
        }
        return ValueCoercion.coerce(value, type, true, "?");
    }

    /**
     * The predicate a secondary index can answer — an equality on an indexed column, when rows are wanted in
     * primary-key order and deleted rows are not — or -1. Index entries follow the key order within a value.
     */
    private int indexedLookup(Object[] operands, ScanScope scope) {
        if (bySeq || scope.includeDeleted()) {
            return -1;
        }
        for (int i = 0; i < predicates.size(); i++) {
            Predicate p = predicates.get(i);
            if (p.op() == SqlKind.EQUALS && p.column() >= 0 && operands[i] != null && table.isIndexed(p.column())) {
                return i;
            }
        }
        return -1;
    }

    private static String shortText(Object v) {
        String text = String.valueOf(v);
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    private static long number(SqlNode n, List<Object> params) {
        Object v = ExpressionEvaluator.eval(n, params, "").value();
        long l;
        try {
            l = v instanceof BigDecimal d ? d.longValueExact() : Long.parseLong(String.valueOf(v));
        } catch (ArithmeticException | NumberFormatException e) {
            throw io.kalamdb.engine.error.KalamException.execution("LIMIT and OFFSET must be whole numbers up to "
                    + Long.MAX_VALUE + " [value=" + shortText(v) + "]");
        }
        if (l < 0) {
            throw io.kalamdb.engine.error.KalamException.execution("LIMIT and OFFSET must not be negative");
        }
        return l;
    }

    private static Object valueOf(StoredRow row, int col) {
        return col == SEQ ? (Object) row.seq() : col == DELETED ? (Object) row.deleted() : row.values()[col];
    }

    /** Tests the predicates on the stored bytes, decoding only the columns they name. */
    private boolean matchesEncoded(byte[] stored, Object[] operands) {
        for (int i = 0; i < operands.length; i++) {
            Predicate p = predicates.get(i);
            int col = p.column();
            Object v = col == SEQ ? (Object) RowCodec.seqOf(stored) : col == DELETED
                    ? (Object) RowCodec.isDeleted(stored) : RowCodec.decodeColumn(table, stored, col);
            if (!test(p, v, operands[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean test(Predicate p, Object v, Object operand) {
        switch (p.op()) {
            case IS_NULL -> {
                return v == null;
            }
            case IS_NOT_NULL -> {
                return v != null;
            }
            default -> {
                if (v == null || operand == null) {
                    return false;
                }
                int cmp = compare(v, operand);
                return switch (p.op()) {
                    case EQUALS -> cmp == 0;
                    case NOT_EQUALS -> cmp != 0;
                    case LESS_THAN -> cmp < 0;
                    case LESS_THAN_OR_EQUAL -> cmp <= 0;
                    case GREATER_THAN -> cmp > 0;
                    default -> cmp >= 0;
                };
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.compare(x, y);
        }
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y);
        }
        if (a instanceof Number x && b instanceof Number y && a.getClass() != b.getClass()) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        return ((Comparable) a).compareTo(b);
    }
}
