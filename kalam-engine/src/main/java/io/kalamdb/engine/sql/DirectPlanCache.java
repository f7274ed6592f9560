package io.kalamdb.engine.sql;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.catalog.Catalog;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Direct query plans by SQL text and namespace; "no direct plan" is cached too, so a query shape is analysed
 * once. Each entry remembers the catalog version it was planned under and is planned again after any catalog
 * change (a plan holds table definitions).
 */
final class DirectPlanCache {
    private static final int MAX_ENTRIES = 4096;
    private static final int MAX_SQL_LENGTH = 8 * 1024;

    private final Catalog catalog;
    private final Map<String, Entry> plans = new ConcurrentHashMap<>();

    /** A plan (null = use Calcite) and the catalog version it was made under. */
    private record Entry(long version, DirectQuery plan) {
    }

    DirectPlanCache(Catalog catalog) {
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    DirectQuery get(Stmt.Query q, String namespace) {
        long version = catalog.version();
        String key = namespace + '\u0000' + q.sql();
        Entry entry = plans.get(key);
        if (entry == null || entry.version() != version) {
            entry = new Entry(version, DirectQuery.plan(q.node(), q, catalog, namespace));
            if (plans.size() >= MAX_ENTRIES) {
                plans.clear();
            }
            if (q.sql().length() <= MAX_SQL_LENGTH) {
                plans.put(key, entry);
            }
        }
        return entry.plan();
    }
}
