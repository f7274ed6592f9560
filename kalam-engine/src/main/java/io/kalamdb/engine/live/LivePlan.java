package io.kalamdb.engine.live;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.ColumnInfo;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.sql.RowPredicate;

import java.util.List;

/**
 * What a subscription's SQL comes down to: the one table it reads, the columns its rows carry (in order, with
 * their wire schema) and the compiled filter of its WHERE.
 */
record LivePlan(TableDef table, List<String> projection, List<ColumnInfo> schema, RowPredicate filter) {
    LivePlan {
        requireNonNull(table, "table is null");
        projection = List.copyOf(projection);
        schema = List.copyOf(schema);
        requireNonNull(filter, "filter is null");
    }
}
