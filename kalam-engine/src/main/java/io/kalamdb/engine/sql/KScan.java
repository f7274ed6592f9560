package io.kalamdb.engine.sql;

import static java.util.Objects.requireNonNull;

import java.util.List;

import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.Blocks;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelCollationTraitDef;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.metadata.RelMetadataQuery;

/**
 * The scan of a {@link KalamTable}: an Enumerable table scan that reads exactly what its {@link ScanSpec} says
 * (access path, bounds, order) and leaves every other part of the statement to Calcite. EXPLAIN shows the
 * spec: {@code access=[PK_EQ|PK_RANGE|INDEX_EQ|FULL]}, the key column and bounds, and the order.
 */
public final class KScan extends TableScan implements EnumerableRel {
    private final KalamTable kalamTable;
    private final ScanSpec spec;

    private KScan(RelOptCluster cluster, RelTraitSet traits, RelOptTable table, KalamTable kalamTable,
                  ScanSpec spec) {
        super(cluster, traits, List.of(), table);
        this.kalamTable = requireNonNull(kalamTable, "kalamTable is null");
        this.spec = requireNonNull(spec, "spec is null");
    }

    /** A scan with traits that tell the planner its convention and, when ordered, its collation. */
    static KScan create(RelOptCluster cluster, RelOptTable table, KalamTable kalamTable, ScanSpec spec) {
        RelTraitSet traits = cluster.traitSetOf(EnumerableConvention.INSTANCE);
        if (spec.order() != ScanSpec.Order.NONE) {
            RelFieldCollation.Direction dir = spec.order() == ScanSpec.Order.PK_ASC
                    ? RelFieldCollation.Direction.ASCENDING : RelFieldCollation.Direction.DESCENDING;
            traits = traits.replaceIf(RelCollationTraitDef.INSTANCE, () -> RelCollations.of(
                    new RelFieldCollation(kalamTable.def().primaryKeyIndex(), dir)));
        }
        return new KScan(cluster, traits, table, kalamTable, spec);
    }

    ScanSpec spec() {
        return spec;
    }

    KalamTable kalamTable() {
        return kalamTable;
    }

    /** The same scan with another spec. */
    KScan with(ScanSpec newSpec) {
        return create(getCluster(), getTable(), kalamTable, newSpec);
    }

    @Override
    public void register(RelOptPlanner planner) {
        KalamRules.register(planner);
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new KScan(getCluster(), traitSet, getTable(), kalamTable, spec);
    }

    @Override
    public RelWriter explainTerms(RelWriter pw) {
        List<String> names = getRowType().getFieldNames();
        String key = spec.column() < 0 ? null : names.get(spec.column());
        ScanSpec.Bound lo = spec.lo();
        ScanSpec.Bound hi = spec.hi();
        return super.explainTerms(pw)
                .item("access", spec.access())
                .itemIf("key", key, key != null)
                .itemIf("lo", lo == null ? null : (lo.inclusive() ? "[" : "(") + lo, lo != null)
                .itemIf("hi", hi == null ? null : hi + (hi.inclusive() ? "]" : ")"), hi != null)
                .itemIf("order", spec.order() == ScanSpec.Order.PK_ASC ? "PK ASC" : "PK DESC",
                        spec.order() != ScanSpec.Order.NONE);
    }

    @Override
    public double estimateRowCount(RelMetadataQuery mq) {
        double rows = kalamTable.getStatistic().getRowCount();
        return switch (spec.access()) {
            case FULL -> rows;
            case PK_EQ -> 1;
            case INDEX_EQ -> Math.max(1, rows / 100);
            case PK_RANGE -> Math.max(1, rows / (spec.lo() != null && spec.hi() != null ? 20 : 4));
        };
    }

    /**
     * Reading costs by the rows the access path reaches; index lookups pay a point read per row. An ordered scan
     * exists only to replace a sort (with its LIMIT, it stops early), so it is costed below any sort of the same
     * rows, including the top-k sort, which must still read every row.
     */
    @Override
    public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
        double rows = estimateRowCount(mq);
        double io = spec.access() == ScanSpec.Access.INDEX_EQ ? rows * 2 : rows;
        double factor = spec.order() == ScanSpec.Order.NONE ? 1 : 0.1;
        return planner.getCostFactory().makeCost(rows * factor, rows * factor, io * factor);
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
        PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), JavaRowFormat.ARRAY,
                false);
        Expression table = implementor.stash(kalamTable, KalamTable.class);
        Expression scanSpec = implementor.stash(spec, ScanSpec.class);
        return implementor.result(physType, Blocks.toBlock(
                Expressions.call(table, "scan", implementor.getRootExpression(), scanSpec)));
    }
}
