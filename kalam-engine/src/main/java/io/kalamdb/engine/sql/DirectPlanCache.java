package io.kalamdb.engine.sql;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.catalog.Catalog;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Direct query plans by SQL text and namespace, valid for one catalog version; "no direct plan" is cached too,
 * so a query shape is analysed once.
 */
final class DirectPlanCache {
    private static final int MAX_ENTRIES = 4096;
    private static final Object NONE = new Object();

    private final Catalog catalog;
    private final Map<String, Object> plans = new ConcurrentHashMap<>();
    private volatile long version = -1;

    DirectPlanCache(Catalog catalog) {
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    DirectQuery get(Stmt.Query q, String namespace) {
        long v = catalog.version();
        if (v != version) {
            plans.clear();
            version = v;
        }
        String key = namespace + '\u0000' + q.sql();
        Object plan = plans.get(key);
        if (plan == null) {
            DirectQuery d = DirectQuery.plan(q.node(), q, catalog);
            plan = d == null ? NONE : d;
            if (plans.size() < MAX_ENTRIES && q.sql().length() <= 8 * 1024) {
                plans.put(key, plan);
            }
        }
        return plan == NONE ? null : (DirectQuery) plan;
    }
}
