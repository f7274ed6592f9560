package io.kalamdb.engine.sql;

import static io.kalamdb.engine.sql.SystemTable.col;
import static io.kalamdb.engine.sql.SystemTable.pk;

import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.catalog.TopicDef;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.hot.Space;
import io.kalamdb.engine.util.Json;
import io.kalamdb.engine.write.TopicKeys;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code system.topics} and {@code system.topic_offsets}. */
public final class TopicViews {
    private TopicViews() {
    }

    public static void register(SystemTables tables, Catalog catalog, HotStore store) {
        tables.add(new SystemTable("topics", List.of(pk("topic_id", KalamType.TEXT), col("name", KalamType.TEXT),
                col("alias", KalamType.TEXT), col("partitions", KalamType.INT),
                col("retention_seconds", KalamType.BIGINT), col("retention_max_bytes", KalamType.BIGINT),
                col("routes", KalamType.JSON), col("created_at", KalamType.TIMESTAMP),
                col("updated_at", KalamType.TIMESTAMP)), () -> {
                    List<Object[]> rows = new ArrayList<>();
                    for (TopicDef t : catalog.topics()) {
                        List<Map<String, Object>> routes = new ArrayList<>();
                        for (TopicDef.Route r : t.routes()) {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("table", r.table());
                            m.put("op", r.op().wireName());
                            m.put("where", r.where());
                            m.put("payload", r.payload().name().toLowerCase(Locale.ROOT));
                            routes.add(m);
                        }
                        rows.add(new Object[] {t.qualifiedName(), t.name(), null, t.partitions(), t.retentionSeconds(),
                            t.retentionMaxBytes(), new String(Json.write(routes), StandardCharsets.UTF_8),
                            t.createdAtMicros(), t.updatedAtMicros()});
                    }
                    return rows;
                }));
        tables.add(new SystemTable("topic_offsets", List.of(col("topic_id", KalamType.TEXT),
                col("group_id", KalamType.TEXT), col("partition_id", KalamType.INT),
                col("last_acked_offset", KalamType.BIGINT), col("updated_at", KalamType.TIMESTAMP)), () -> {
                    List<Object[]> rows = new ArrayList<>();
                    for (TopicDef t : catalog.topics()) {
                        try (HotStore.Cursor c = store.scan(Space.TOPIC_OFFSETS, TopicKeys.topicPrefix(t.id()), false)) {
                            while (c.next()) {
                                Object[] gp = TopicKeys.parseCommitted(c.key());
                                ByteBuffer v = ByteBuffer.wrap(c.value());
                                rows.add(new Object[] {t.qualifiedName(), gp[0], gp[1], v.getLong(), v.getLong()});
                            }
                        }
                    }
                    return rows;
                }));
    }
}
