package io.kalamdb.engine.live;

import static io.kalamdb.engine.sql.SystemTable.col;
import static io.kalamdb.engine.sql.SystemTable.pk;

import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.sql.SystemTable;
import io.kalamdb.engine.sql.SystemTables;
import io.kalamdb.engine.util.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code system.live} view of open subscriptions, also named {@code system.live_queries}. */
public final class LiveViews {
    private LiveViews() {
    }

    public static void register(SystemTables tables, LiveQueryRegistry registry, int nodeId) {
        var columns = List.of(pk("live_id", KalamType.TEXT), col("connection_id", KalamType.TEXT),
                col("subscription_id", KalamType.TEXT), col("namespace_id", KalamType.TEXT),
                col("table_name", KalamType.TEXT), col("user_id", KalamType.TEXT), col("query", KalamType.TEXT),
                col("options", KalamType.JSON), col("status", KalamType.TEXT), col("created_at", KalamType.TIMESTAMP),
                col("last_update", KalamType.TIMESTAMP), col("changes", KalamType.BIGINT),
                col("node_id", KalamType.INT), col("last_ping_at", KalamType.TIMESTAMP));
        java.util.function.Supplier<List<Object[]>> rows = () -> {
            List<Object[]> out = new ArrayList<>();
            for (Subscription s : registry.all()) {
                Map<String, Object> options = new LinkedHashMap<>();
                if (s.options().lastRows() != null) {
                    options.put("last_rows", s.options().lastRows());
                }
                options.put("batch_size", s.options().effectiveBatchSize());
                if (s.options().from() != null) {
                    options.put("from", s.options().from());
                }
                out.add(new Object[] {s.liveId(), s.connectionId(), s.id(), s.table().namespace(), s.table().name(),
                    s.userId(), s.sql(), new String(Json.write(options), StandardCharsets.UTF_8),
                    s.state() == Subscription.State.LIVE ? "active" : s.state().name().toLowerCase(java.util.Locale.ROOT),
                    s.createdAtMicros(), s.lastUpdateMicros(), s.changes(), nodeId, null});
            }
            return out;
        };
        tables.add(new SystemTable("live", columns, rows));
        tables.add(new SystemTable("live_queries", columns, rows));
    }
}
