package io.kalamdb.engine.sql;

import com.google.common.collect.BoundType;
import com.google.common.collect.Range;

import io.kalamdb.engine.catalog.ColumnDef;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.catalog.TableDef;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import org.apache.calcite.adapter.enumerable.EnumerableFilter;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUnknownAs;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.Sarg;
import org.apache.calcite.util.TimestampString;

/**
 * The planner rules that push work into a {@link KScan}: one storage-exact condition of a filter (a primary-key
 * equality, else an equality on an indexed column, else a primary-key range), and an ORDER BY of the primary key
 * (with its LIMIT/OFFSET, which then stop the scan early). A condition is consumed only when its operand is a
 * literal or a parameter of the column's own type family, so the scan compares exactly as Calcite would; anything
 * else stays in the plan for Calcite to evaluate.
 */
@SuppressWarnings("deprecation") // the RelOptRule operand style of Calcite's own adapters, kept for brevity
final class KalamRules {
    static final RelOptRule FILTER = new FilterRule();
    static final RelOptRule SORT = new SortRule();
    static final RelOptRule SORT_FILTER = new SortFilterRule();

    private KalamRules() {
    }

    static void register(RelOptPlanner planner) {
        planner.addRule(FILTER);
        planner.addRule(SORT);
        planner.addRule(SORT_FILTER);
    }

    /** Filter over an unconstrained scan: consume one storage-exact condition. */
    private static final class FilterRule extends RelOptRule {
        FilterRule() {
            super(operand(LogicalFilter.class, operand(KScan.class, none())), "KalamFilterRule");
        }

        @Override
        public void onMatch(RelOptRuleCall call) {
            LogicalFilter filter = call.rel(0);
            KScan scan = call.rel(1);
            if (scan.spec().access() != ScanSpec.Access.FULL) {
                return;
            }
            List<RexNode> conjuncts = new ArrayList<>(RelOptUtil.conjunctions(filter.getCondition()));
            Pushed pushed = choose(scan.kalamTable().def(), conjuncts);
            if (pushed == null) {
                return;
            }
            List<RexNode> residual = new ArrayList<>(conjuncts);
            residual.removeAll(pushed.consumed());
            KScan newScan = scan.with(new ScanSpec(pushed.access(), pushed.column(), pushed.lo(), pushed.hi(),
                    scan.spec().order()));
            call.transformTo(residual.isEmpty() ? newScan : call.builder().push(newScan).filter(residual).build());
        }
    }

    /** ORDER BY the primary key over a scan: the scan walks the keys in that order; LIMIT stops it. */
    private static final class SortRule extends RelOptRule {
        SortRule() {
            super(operand(LogicalSort.class, operand(KScan.class, none())), "KalamSortRule");
        }

        @Override
        public void onMatch(RelOptRuleCall call) {
            LogicalSort sort = call.rel(0);
            KScan scan = call.rel(1);
            ScanSpec.Order order = pkOrder(sort, scan);
            if (order == null) {
                return;
            }
            RelNode ordered = scan.with(scan.spec().withOrder(order));
            call.transformTo(limit(sort, ordered));
        }
    }

    /** ORDER BY the primary key over a filtered scan: the filter keeps the scan's order. */
    private static final class SortFilterRule extends RelOptRule {
        SortFilterRule() {
            super(operand(LogicalSort.class, operand(LogicalFilter.class, operand(KScan.class, none()))),
                    "KalamSortFilterRule");
        }

        @Override
        public void onMatch(RelOptRuleCall call) {
            LogicalSort sort = call.rel(0);
            LogicalFilter filter = call.rel(1);
            KScan scan = call.rel(2);
            ScanSpec.Order order = pkOrder(sort, scan);
            if (order == null) {
                return;
            }
            KScan ordered = scan.with(scan.spec().withOrder(order));
            RelNode filtered = new EnumerableFilter(filter.getCluster(), ordered.getTraitSet(), ordered,
                    filter.getCondition());
            call.transformTo(limit(sort, filtered));
        }
    }

    private static RelNode limit(LogicalSort sort, RelNode ordered) {
        if (sort.offset == null && sort.fetch == null) {
            return ordered;
        }
        return KLimit.over(ordered, sort.offset, sort.fetch);
    }

    /** The scan order a sort asks for when it sorts by the primary key alone, else null. */
    private static ScanSpec.Order pkOrder(LogicalSort sort, KScan scan) {
        if (scan.spec().order() != ScanSpec.Order.NONE) {
            return null;
        }
        List<RelFieldCollation> fields = sort.getCollation().getFieldCollations();
        if (fields.size() != 1 || fields.get(0).getFieldIndex() != scan.kalamTable().def().primaryKeyIndex()) {
            return null;
        }
        return fields.get(0).getDirection().isDescending() ? ScanSpec.Order.PK_DESC : ScanSpec.Order.PK_ASC;
    }

    /** A condition chosen for storage: the access path, its column and bounds, and the conjuncts it replaces. */
    private record Pushed(ScanSpec.Access access, int column, ScanSpec.Bound lo, ScanSpec.Bound hi,
                          List<RexNode> consumed) {
    }

    /** One comparison of a column with a pushable operand. */
    private record Term(RexNode conjunct, int column, SqlKind op, ScanSpec.Bound bound, ScanSpec.Bound upper) {
    }

    /** Picks a primary-key equality, else an indexed-column equality, else a primary-key range. */
    private static Pushed choose(TableDef def, List<RexNode> conjuncts) {
        int pk = def.primaryKeyIndex();
        List<Term> terms = new ArrayList<>();
        for (RexNode c : conjuncts) {
            Term t = term(def, c);
            if (t != null) {
                terms.add(t);
            }
        }
        for (Term t : terms) {
            if (t.column() == pk && t.op() == SqlKind.EQUALS) {
                return new Pushed(ScanSpec.Access.PK_EQ, pk, t.bound(), t.upper(), List.of(t.conjunct()));
            }
        }
        for (Term t : terms) {
            if (t.column() != pk && t.op() == SqlKind.EQUALS && def.isIndexed(t.column())
                    && indexable(def.columns().get(t.column()).type())) {
                return new Pushed(ScanSpec.Access.INDEX_EQ, t.column(), t.bound(), null, List.of(t.conjunct()));
            }
        }
        ScanSpec.Bound lo = null;
        ScanSpec.Bound hi = null;
        List<RexNode> consumed = new ArrayList<>(2);
        for (Term t : terms) {
            if (t.column() != pk) {
                continue;
            }
            boolean lower = t.op() == SqlKind.GREATER_THAN || t.op() == SqlKind.GREATER_THAN_OR_EQUAL;
            boolean upper = t.op() == SqlKind.LESS_THAN || t.op() == SqlKind.LESS_THAN_OR_EQUAL;
            if (t.op() == SqlKind.SEARCH && lo == null && hi == null) {
                lo = t.bound();
                hi = t.upper();
                consumed.add(t.conjunct());
                break;
            } else if (lower && lo == null) {
                lo = t.bound();
                consumed.add(t.conjunct());
            } else if (upper && hi == null) {
                hi = t.bound();
                consumed.add(t.conjunct());
            }
        }
        return consumed.isEmpty() ? null : new Pushed(ScanSpec.Access.PK_RANGE, pk, lo, hi, consumed);
    }

    /** Index entries hold exact stored values; a timestamp equality in milliseconds covers a range of them. */
    private static boolean indexable(KalamType type) {
        return type.kind() != KalamType.Kind.TIMESTAMP && type.kind() != KalamType.Kind.DATETIME;
    }

    /** {@code column op operand} (either way round) or a one-range SEARCH, when storage can answer it exactly. */
    private static Term term(TableDef def, RexNode conjunct) {
        if (!(conjunct instanceof RexCall call) || call.getOperands().size() != 2) {
            return null;
        }
        SqlKind kind = call.getKind();
        RexNode left = call.getOperands().get(0);
        RexNode right = call.getOperands().get(1);
        if (kind == SqlKind.SEARCH) {
            return search(def, conjunct, left, right);
        }
        if (kind != SqlKind.EQUALS && kind != SqlKind.LESS_THAN && kind != SqlKind.LESS_THAN_OR_EQUAL
                && kind != SqlKind.GREATER_THAN && kind != SqlKind.GREATER_THAN_OR_EQUAL) {
            return null;
        }
        int column = column(def, left);
        RexNode operand = right;
        if (column < 0) {
            column = column(def, right);
            operand = left;
            kind = kind.reverse();
        }
        if (column < 0) {
            return null;
        }
        KalamType type = def.columns().get(column).type();
        boolean inclusive = kind != SqlKind.LESS_THAN && kind != SqlKind.GREATER_THAN;
        ScanSpec.Bound bound = bound(type, operand, inclusive);
        if (bound == null) {
            return null;
        }
        return new Term(conjunct, column, kind, bound, kind == SqlKind.EQUALS ? bound : null);
    }

    private static Term search(TableDef def, RexNode conjunct, RexNode ref, RexNode sargLiteral) {
        int column = column(def, ref);
        if (column < 0 || !(sargLiteral instanceof RexLiteral lit) || !(lit.getValue() instanceof Sarg<?> sarg)
                || sarg.nullAs == RexUnknownAs.TRUE || sarg.rangeSet.asRanges().size() != 1
                || !sameFamily(def.columns().get(column).type(), lit.getType())) {
            return null;
        }
        KalamType type = def.columns().get(column).type();
        Range<?> range = sarg.rangeSet.asRanges().iterator().next();
        ScanSpec.Bound lo = null;
        ScanSpec.Bound hi = null;
        if (range.hasLowerBound()) {
            Object v = sargValue(type, range.lowerEndpoint());
            if (v == null) {
                return null;
            }
            lo = new ScanSpec.Bound(v, -1, range.lowerBoundType() == BoundType.CLOSED);
        }
        if (range.hasUpperBound()) {
            Object v = sargValue(type, range.upperEndpoint());
            if (v == null) {
                return null;
            }
            hi = new ScanSpec.Bound(v, -1, range.upperBoundType() == BoundType.CLOSED);
        }
        if (lo == null && hi == null) {
            return null;
        }
        boolean point = lo != null && hi != null && lo.inclusive() && hi.inclusive()
                && range.lowerEndpoint().equals(range.upperEndpoint());
        return new Term(conjunct, column, point ? SqlKind.EQUALS : SqlKind.SEARCH, lo, hi);
    }

    /** A Sarg endpoint in Calcite's internal representation for a column of {@code type}, or null. */
    private static Object sargValue(KalamType type, Object endpoint) {
        return switch (endpoint) {
            case NlsString s -> s.getValue();
            case BigDecimal d -> d;
            case Boolean b -> b;
            case TimestampString ts -> ts.getMillisSinceEpoch();
            case DateString ds -> ds.getDaysSinceEpoch();
            default -> null;
        };
    }

    /**
     * The column a comparison side reads: a plain column reference, or one widened without loss (an integer to a
     * wider integer, a decimal to a decimal with at least its integer digits and scale); else -1. Only user columns
     * with pushable types qualify.
     */
    private static int column(TableDef def, RexNode side) {
        RexNode inner = side;
        if (side.getKind() == SqlKind.CAST) {
            inner = ((RexCall) side).getOperands().get(0);
            if (!(inner instanceof RexInputRef) || !losslessWidening(inner.getType(), side.getType())) {
                return -1;
            }
        }
        if (!(inner instanceof RexInputRef ref) || ref.getIndex() >= def.columns().size()) {
            return -1;
        }
        return pushable(def.columns().get(ref.getIndex())) ? ref.getIndex() : -1;
    }

    private static boolean pushable(ColumnDef c) {
        return switch (c.type().kind()) {
            case SMALLINT, INT, BIGINT, DECIMAL, TEXT, JSON, UUID, BOOLEAN, DATE, TIMESTAMP, DATETIME -> true;
            default -> false;
        };
    }

    private static boolean losslessWidening(RelDataType from, RelDataType to) {
        SqlTypeName f = from.getSqlTypeName();
        SqlTypeName t = to.getSqlTypeName();
        if (SqlTypeName.INT_TYPES.contains(f) && SqlTypeName.INT_TYPES.contains(t)) {
            return SqlTypeName.INT_TYPES.indexOf(t) >= SqlTypeName.INT_TYPES.indexOf(f);
        }
        if (f == SqlTypeName.DECIMAL && t == SqlTypeName.DECIMAL) {
            return to.getScale() >= from.getScale()
                    && to.getPrecision() - to.getScale() >= from.getPrecision() - from.getScale();
        }
        return false;
    }

    /** Whether a value of Calcite type {@code operand} compares with the column's values as storage orders them. */
    private static boolean sameFamily(KalamType column, RelDataType operand) {
        SqlTypeName t = operand.getSqlTypeName();
        return switch (column.kind()) {
            case SMALLINT, INT, BIGINT -> SqlTypeName.INT_TYPES.contains(t);
            case DECIMAL -> t == SqlTypeName.DECIMAL || SqlTypeName.INT_TYPES.contains(t);
            case TEXT, JSON, UUID -> operand.getFamily() == SqlTypeFamily.CHARACTER;
            case BOOLEAN -> t == SqlTypeName.BOOLEAN;
            case DATE -> t == SqlTypeName.DATE;
            case TIMESTAMP, DATETIME -> t == SqlTypeName.TIMESTAMP;
            default -> false;
        };
    }

    /**
     * The bound of a literal or a parameter operand whose type belongs with the column's, or null. A parameter is
     * pushed for integer, decimal, text and boolean columns, also under a cast that widens it without loss or
     * {@code CAST(? AS VARCHAR)} (what the literal normaliser writes); temporal bounds only as literals.
     */
    private static ScanSpec.Bound bound(KalamType type, RexNode operand, boolean inclusive) {
        RexNode o = operand;
        if (o.getKind() == SqlKind.CAST && ((RexCall) o).getOperands().get(0) instanceof RexDynamicParam p
                && (losslessWidening(p.getType(), o.getType())
                    || o.getType().getSqlTypeName() == SqlTypeName.VARCHAR
                        && o.getType().getPrecision() == RelDataType.PRECISION_NOT_SPECIFIED)) {
            o = p;
        }
        if (!sameFamily(type, o.getType())) {
            return null;
        }
        if (o instanceof RexDynamicParam p) {
            boolean temporal = switch (type.kind()) {
                case DATE, TIMESTAMP, DATETIME -> true;
                default -> false;
            };
            return temporal ? null : new ScanSpec.Bound(null, p.getIndex(), inclusive);
        }
        if (!(o instanceof RexLiteral lit) || lit.isNull()) {
            return null;
        }
        Object value = switch (type.kind()) {
            case SMALLINT, INT, BIGINT, TIMESTAMP, DATETIME -> lit.getValueAs(Long.class);
            case DECIMAL -> lit.getValueAs(BigDecimal.class);
            case TEXT, JSON, UUID -> lit.getValueAs(String.class);
            case BOOLEAN -> lit.getValueAs(Boolean.class);
            case DATE -> lit.getValueAs(Integer.class);
            default -> null;
        };
        return value == null ? null : new ScanSpec.Bound(value, -1, inclusive);
    }
}
