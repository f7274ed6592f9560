package io.kalamdb.engine.topic;

import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.hot.StoredRow;

import java.util.function.Predicate;

/**
 * Compiles the WHERE of a topic route into a test of changed rows. The SQL layer supplies it (Calcite evaluates
 * every filter), so topics do not depend on SQL.
 */
@FunctionalInterface
public interface RouteFilterCompiler {
    /**
     * The filter {@code where} over {@code table}'s rows of {@code partition} (null when compiling ahead of any
     * change, to warm the cache). Only a row for which the condition is TRUE passes.
     */
    Predicate<StoredRow> compile(TableDef table, String where, String partition);
}
