package io.kalamdb.engine.sql;

import org.apache.calcite.adapter.enumerable.EnumerableRules;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.runtime.Hook;

/**
 * The planner rule that makes {@code ORDER BY … LIMIT k} a top-k. Calcite's default rules implement it as a
 * full sort of every input row followed by a cut; its {@code EnumerableLimitSort} keeps only the best
 * {@code offset + k} rows while it reads, so the memory of such a query is bounded by k, not by the table.
 */
final class TopKPlanning {
    private TopKPlanning() {
    }

    /** Adds the top-k rule to every planner this thread creates until the returned hook is closed. */
    static Hook.Closeable onThisThread() {
        return Hook.PLANNER.addThread((RelOptPlanner planner) ->
                planner.addRule(EnumerableRules.ENUMERABLE_LIMIT_SORT_RULE));
    }
}
