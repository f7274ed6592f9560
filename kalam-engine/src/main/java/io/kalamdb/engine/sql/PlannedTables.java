package io.kalamdb.engine.sql;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelVisitor;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;

/**
 * The tables a converted Calcite plan reads: every table scan of the relational tree, including the scans inside
 * sub-queries of its expressions, whatever SQL spelled them. This, not the SQL text, is what authorisation checks.
 */
public final class PlannedTables {
    private PlannedTables() {
    }

    /** A table as the plan resolved it: its schema (namespace) and its name, as registered. */
    public record Name(String namespace, String table) {
        @Override
        public String toString() {
            return namespace + "." + table;
        }
    }

    /** The distinct tables {@code rel} scans, in the order first met. */
    public static List<Name> reads(RelNode rel) {
        Set<Name> out = new LinkedHashSet<>();
        collect(rel, out);
        return List.copyOf(out);
    }

    private static void collect(RelNode root, Set<Name> out) {
        RexShuttle subQueries = new RexShuttle() {
            @Override
            public RexNode visitSubQuery(RexSubQuery subQuery) {
                collect(subQuery.rel, out);
                return super.visitSubQuery(subQuery);
            }
        };
        new RelVisitor() {
            @Override
            public void visit(RelNode node, int ordinal, RelNode parent) {
                if (node instanceof TableScan scan) {
                    out.add(name(scan.getTable()));
                }
                node.accept(subQueries);
                super.visit(node, ordinal, parent);
            }
        }.go(root);
    }

    private static Name name(RelOptTable table) {
        // our schemas are one level deep; any other shape keeps all its parts, so that no rule matches it
        List<String> names = table.getQualifiedName();
        if (names.isEmpty()) {
            return new Name("", "");
        }
        return new Name(String.join(".", names.subList(0, names.size() - 1)), names.get(names.size() - 1));
    }
}
