package io.kalamdb.engine.sql;

import org.apache.calcite.adapter.enumerable.EnumerableLimit;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexNode;

/**
 * The LIMIT/OFFSET of a sort that a key-ordered {@link KScan} answers: Enumerable's lazy limit, which stops the scan
 * once its rows are out. It is costed as almost free, so that the planner never prefers a top-k sort (which reads
 * every row to find the first k) over rows that already come in order.
 */
public final class KLimit extends EnumerableLimit {
    KLimit(RelOptCluster cluster, RelTraitSet traits, RelNode input, RexNode offset, RexNode fetch) {
        super(cluster, traits, input, offset, fetch);
    }

    /** The limit of {@code sort}'s offset and fetch over {@code ordered}, with {@code ordered}'s traits. */
    static KLimit over(RelNode ordered, RexNode offset, RexNode fetch) {
        return new KLimit(ordered.getCluster(), ordered.getTraitSet(), ordered, offset, fetch);
    }

    @Override
    public EnumerableLimit copy(RelTraitSet traitSet, java.util.List<RelNode> newInputs) {
        return new KLimit(getCluster(), traitSet, sole(newInputs), offset, fetch);
    }

    @Override
    public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
        return planner.getCostFactory().makeTinyCost();
    }
}
