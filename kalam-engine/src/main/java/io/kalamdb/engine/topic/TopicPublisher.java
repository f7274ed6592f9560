package io.kalamdb.engine.topic;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;

import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.ColumnDef;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.catalog.TopicDef;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.hot.Space;
import io.kalamdb.engine.hot.StoredRow;
import io.kalamdb.engine.util.Json;
import io.kalamdb.engine.util.RowJson;
import io.kalamdb.engine.util.SnowflakeGenerator;
import io.kalamdb.engine.write.ChangeEvent;
import io.kalamdb.engine.write.ChangePublisher;
import io.kalamdb.engine.write.TopicKeys;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Change data capture: turns a committed row change into messages of the topics routed from its table,
 * written into the same batch as the change. Offsets are gap-free per partition: they are reserved while
 * a command applies and kept only if its batch is written. Used by the applier only (one thread).
 */
public final class TopicPublisher implements ChangePublisher {
    private final Catalog catalog;
    private final HotStore store;
    private final Map<String, Long> next = new ConcurrentHashMap<>();
    private final Map<String, Long> durable = new ConcurrentHashMap<>();
    private final Map<String, Long> pending = new HashMap<>();
    private final Map<String, Predicate<StoredRow>> filters = new ConcurrentHashMap<>();
    private final RouteFilterCompiler compiler;

    public TopicPublisher(Catalog catalog, HotStore store, RouteFilterCompiler compiler) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.store = requireNonNull(store, "store is null");
        this.compiler = requireNonNull(compiler, "compiler is null");
    }

    private static String slot(long topicId, int partition) {
        return topicId + "/" + partition;
    }

    /** The offset the next message of a partition gets (0 for an empty partition). Applier thread only. */
    @Override
    public long nextOffset(long topicId, int partition) {
        Long p = pending.get(slot(topicId, partition));
        return p != null ? p : endOffset(topicId, partition);
    }

    /**
     * The offset after the last committed message of a partition, for LATEST and end-of-log checks. Safe from
     * any thread: it never looks at the offsets a command is reserving.
     */
    public long endOffset(long topicId, int partition) {
        return next.computeIfAbsent(slot(topicId, partition), x -> {
            try (HotStore.Cursor c = store.scan(Space.TOPIC_MESSAGES, TopicKeys.partitionPrefix(topicId, partition),
                    true)) {
                if (c.next()) {
                    return TopicKeys.offsetOf(c.key()) + 1;
                }
            }
            byte[] mark = store.get(Space.META, TopicKeys.endMarkKey(topicId, partition));
            long end = mark == null ? 0L : java.nio.ByteBuffer.wrap(mark).getLong();
            // what the store holds before this process appends to the partition was recovered from disk
            durable.putIfAbsent(slot(topicId, partition), end);
            return end;
        });
    }

    /**
     * The offset after the last message of a partition that is durable (its batch was synced): consumers read
     * below it only, so that no consumer is handed a message an OS crash could still take back. Any thread.
     */
    public long durableEndOffset(long topicId, int partition) {
        long applied = endOffset(topicId, partition);
        Long synced = durable.get(slot(topicId, partition));
        return synced == null ? applied : Math.min(synced, applied);
    }

    /**
     * Marks every message appended so far durable. Called on the write log's thread after the sync of the commands
     * that appended them, before it acknowledges them and before it applies anything else.
     */
    public void markAllDurable() {
        for (Map.Entry<String, Long> e : next.entrySet()) {
            durable.merge(e.getKey(), e.getValue(), Math::max);
        }
    }

    /** Appends the messages of one change to {@code batch}; returns the topics that got messages. */
    @Override
    public void publish(ChangeEvent e, HotStore.Batch batch, Set<Long> touched) {
        List<Catalog.TopicRoute> routes = catalog.routes(e.table().id());
        if (routes.isEmpty()) {
            return;
        }
        for (Catalog.TopicRoute tr : routes) {
            TopicDef.Route route = tr.route();
            if (!matchesOp(route.op(), e.type())) {
                continue;
            }
            StoredRow row = e.type() == ChangeEvent.Type.DELETE ? (e.newRow() != null ? e.newRow() : e.oldRow())
                    : e.newRow();
            if (route.where() != null && !filter(tr, e).test(e.type() == ChangeEvent.Type.DELETE ? e.oldRow() : row)) {
                continue;
            }
            TableDef t = e.table();
            int pkIndex = t.primaryKeyIndex();
            Object pkValue = pkIndex < 0 ? null : row.values()[pkIndex];
            String key = pkValue == null ? null : pkValue.toString();
            byte[] payload = payload(t, route.payload(), e, row);
            TopicDef topic = tr.topic();
            int partition = Math.floorMod(key != null ? key.hashCode()
                    : new String(payload, StandardCharsets.UTF_8).hashCode(), topic.partitions());
            long offset = nextOffset(topic.id(), partition);
            TopicMessage m = new TopicMessage(topic.qualifiedName(), partition, offset, key, payload,
                    SnowflakeGenerator.timestampMs(e.seq()), t.type().isPerUser() ? e.partition() : null,
                    TopicDef.Op.valueOf(e.type().name()));
            batch.put(Space.TOPIC_MESSAGES, TopicKeys.message(topic.id(), partition, offset), m.encodeValue());
            pending.put(slot(topic.id(), partition), offset + 1);
            touched.add(topic.id());
        }
    }

    /** Keeps the offsets reserved since the last call (the batch was written). */
    @Override
    public void commit() {
        next.putAll(pending);
        pending.clear();
    }

    /** Forgets the offsets reserved since the last call (the command failed). */
    @Override
    public void rollback() {
        pending.clear();
    }

    /** Forgets a dropped topic's counters. */
    @Override
    public void forget(long topicId) {
        next.keySet().removeIf(k -> k.startsWith(topicId + "/"));
        durable.keySet().removeIf(k -> k.startsWith(topicId + "/"));
        filters.keySet().removeIf(k -> k.startsWith(topicId + "/"));
    }

    private static boolean matchesOp(TopicDef.Op op, ChangeEvent.Type type) {
        return op.name().equals(type.name());
    }

    /**
     * Compiles the filters of every stored route into the shared cache, so that the applier thread does not pay
     * Calcite's first compilation (seconds on a cold JVM) on the first routed change after a start.
     */
    public void warmFilters() {
        for (TopicDef topic : catalog.topics()) {
            for (TopicDef.Route route : topic.routes()) {
                TableDef table = catalog.table(route.tableId());
                if (route.where() != null && table != null) {
                    compiler.compile(table, route.where(), null);
                }
            }
        }
    }

    private Predicate<StoredRow> filter(Catalog.TopicRoute tr, ChangeEvent e) {
        String k = tr.topic().id() + "/" + tr.route().tableId() + "/" + tr.route().op() + "/" + e.partition() + "/"
                + e.table().schemaVersion();
        // Compiled by Calcite like a subscription's WHERE (cached there too); the route was checked when added.
        return filters.computeIfAbsent(k, x -> compiler.compile(e.table(), tr.route().where(), e.partition()));
    }

    private static byte[] payload(TableDef t, TopicDef.PayloadMode mode, ChangeEvent e, StoredRow row) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
                g.writeStartObject();
                ColumnDef pk = t.primaryKey();
                switch (mode) {
                    case KEY -> {
                        if (pk != null) {
                            g.writeFieldName(pk.name());
                            RowJson.writeValue(g, pk.type(), row.values()[t.primaryKeyIndex()]);
                        }
                    }
                    case FULL -> {
                        writeRow(g, t, row);
                        g.writeStringField("_table", t.qualifiedName());
                    }
                    case DIFF -> {
                        if (e.type() == ChangeEvent.Type.UPDATE && pk != null) {
                            g.writeFieldName(pk.name());
                            RowJson.writeValue(g, pk.type(), row.values()[t.primaryKeyIndex()]);
                            g.writeStringField("_seq", Long.toString(row.seq()));
                            g.writeObjectFieldStart("changes");
                            for (int i = 0; i < t.columns().size(); i++) {
                                Object before = e.oldRow().values()[i];
                                Object after = row.values()[i];
                                if (!Objects.deepEquals(before, after)) {
                                    ColumnDef c = t.columns().get(i);
                                    g.writeObjectFieldStart(c.name());
                                    g.writeFieldName("old");
                                    RowJson.writeValue(g, c.type(), before);
                                    g.writeFieldName("new");
                                    RowJson.writeValue(g, c.type(), after);
                                    g.writeEndObject();
                                }
                            }
                            g.writeEndObject();
                        } else {
                            writeRow(g, t, row);
                        }
                        g.writeStringField("_table", t.qualifiedName());
                    }
                }
                g.writeEndObject();
            }
            return out.toByteArray();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void writeRow(JsonGenerator g, TableDef t, StoredRow row) throws IOException {
        for (int i = 0; i < t.columns().size(); i++) {
            ColumnDef c = t.columns().get(i);
            g.writeFieldName(c.name());
            RowJson.writeValue(g, c.type(), row.values()[i]);
        }
        g.writeFieldName(TableDef.SEQ);
        RowJson.writeValue(g, KalamType.BIGINT, row.seq());
        g.writeBooleanField(TableDef.DELETED, row.deleted());
    }
}
