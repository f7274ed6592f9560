package io.kalamdb.engine.sql;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.ColumnInfo;
import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.catalog.TopicDef;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.topic.ConsumeRequest;
import io.kalamdb.engine.topic.ConsumeResult;
import io.kalamdb.engine.topic.TopicMessage;
import io.kalamdb.engine.topic.TopicService;
import io.kalamdb.engine.write.Command;
import io.kalamdb.engine.write.WriteLog;

import java.util.ArrayList;
import java.util.List;

/** Executes topic statements: topic DDL, routes, CONSUME and ACK. */
public final class TopicExecutor {
    /** The columns of a CONSUME result (reference 4.3). */
    public static final List<ColumnInfo> MESSAGE_SCHEMA = List.of(SystemTable.col("topic_id", KalamType.TEXT),
            SystemTable.col("partition_id", KalamType.INT), SystemTable.col("offset", KalamType.BIGINT),
            SystemTable.col("key", KalamType.TEXT), SystemTable.col("payload", KalamType.BYTES),
            SystemTable.col("timestamp_ms", KalamType.BIGINT), SystemTable.col("user_id", KalamType.TEXT),
            SystemTable.col("op", KalamType.TEXT));

    private final Catalog catalog;
    private final WriteLog log;
    private final TopicService topics;

    public TopicExecutor(Catalog catalog, WriteLog log, TopicService topics) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.log = requireNonNull(log, "log is null");
        this.topics = requireNonNull(topics, "topics is null");
    }

    private void append(Command c) {
        log.commit(c);
    }

    private static long now() {
        return io.kalamdb.engine.util.Ids.statementMillis() * 1000L;
    }

    private TopicDef existing(String name) {
        try {
            return topics.topic(name);
        } catch (KalamException e) {
            // the topic API's NOT_FOUND (404 on its own endpoints) is TOPIC_NOT_FOUND to a SQL statement
            throw e.code() == KalamErrorCode.NOT_FOUND ? new KalamException(KalamErrorCode.TOPIC_NOT_FOUND,
                    e.getMessage()) : e;
        }
    }

    /**
     * Runs a topic statement; one whose write was rejected with {@code CONFLICT} (the topic changed meanwhile)
     * is planned again from the current catalog and resubmitted. CLEAR TOPIC, CONSUME and ACK are not: their
     * writes do not conflict.
     */
    public StatementResult execute(Stmt stmt, String who) {
        return switch (stmt) {
            case Stmt.CreateTopic ignored -> ConflictRetry.run(() -> executeOnce(stmt, who));
            case Stmt.DropTopic ignored -> ConflictRetry.run(() -> executeOnce(stmt, who));
            case Stmt.AddTopicSource ignored -> ConflictRetry.run(() -> executeOnce(stmt, who));
            case Stmt.DropTopicSource ignored -> ConflictRetry.run(() -> executeOnce(stmt, who));
            default -> executeOnce(stmt, who);
        };
    }

    private StatementResult executeOnce(Stmt stmt, String who) {
        return switch (stmt) {
            case Stmt.CreateTopic ct -> {
                int dot = ct.topic().indexOf('.');
                String ns = ct.topic().substring(0, dot);
                String name = ct.topic().substring(dot + 1);
                if (catalog.namespace(ns) == null) {
                    throw KalamException.namespaceNotFound(ns);
                }
                if (catalog.topic(ns, name) != null) {
                    throw new KalamException(KalamErrorCode.TOPIC_EXISTS, "Topic '" + ct.topic() + "' already exists");
                }
                long now = now();
                append(new Command.PutTopic(new TopicDef(0, catalog.namespace(ns).name(),
                        name, ct.partitions(),
                        ct.retentionSeconds() == null ? TopicDef.DEFAULT_RETENTION_SECONDS : ct.retentionSeconds(),
                        ct.retentionMaxBytes() == null ? TopicDef.DEFAULT_RETENTION_BYTES : ct.retentionMaxBytes(),
                        List.of(), now, now), true));
                yield StatementResult.message("Created topic '" + ct.topic() + "' with " + ct.partitions()
                        + " partition(s)", 0, who);
            }
            case Stmt.DropTopic dt -> {
                int dot = dt.topic().indexOf('.');
                TopicDef t = catalog.topic(dt.topic().substring(0, dot), dt.topic().substring(dot + 1));
                if (t == null) {
                    if (dt.ifExists()) {
                        yield StatementResult.message("Topic '" + dt.topic() + "' does not exist (skipped)", 0, who);
                    }
                    throw new KalamException(KalamErrorCode.TOPIC_NOT_FOUND,
                            "Topic '" + dt.topic() + "' does not exist");
                }
                append(new Command.DropTopic(t.id()));
                topics.forget(t.id());
                yield StatementResult.message("Dropped topic '" + t.qualifiedName() + "'", 0, who);
            }
            case Stmt.ClearTopic ct -> {
                TopicDef t = existing(ct.topic());
                for (int p = 0; p < t.partitions(); p++) {
                    append(new Command.TrimTopic(t.id(), p, Long.MAX_VALUE));
                }
                topics.forget(t.id());
                yield StatementResult.message("Cleared topic '" + t.qualifiedName() + "'", 0, who);
            }
            case Stmt.AddTopicSource add -> {
                TopicDef t = existing(add.topic());
                TableDef table = catalog.table(add.table().namespace(), add.table().name());
                if (table == null) {
                    throw KalamException.tableNotFound(add.table().qualified());
                }
                List<TopicDef.Route> routes = new ArrayList<>(t.routes());
                for (TopicDef.Route r : routes) {
                    if (r.tableId() == table.id() && r.op() == add.op()) {
                        throw new KalamException(KalamErrorCode.OBJECT_EXISTS,
                                "topic '" + t.qualifiedName() + "' already has a source "
                                + table.qualifiedName() + " ON " + add.op().name());
                    }
                }
                if (add.where() != null) {
                    // Refuses what a route cannot evaluate now, with Calcite's own error.
                    FilterCompiler.compile(table, FilterCompiler.routeQuery(table, add.where()), "validation");
                }
                routes.add(new TopicDef.Route(table.id(), table.qualifiedName(), add.op(), add.where(), add.payload()));
                append(new Command.SetTopicRoutes(t.id(), t.routes(), routes, now()));
                yield StatementResult.message("Added source " + table.qualifiedName() + " ON " + add.op().wireName()
                        + " to topic '" + t.qualifiedName() + "'", 0, who);
            }
            case Stmt.DropTopicSource drop -> {
                TopicDef t = existing(drop.topic());
                List<TopicDef.Route> routes = new ArrayList<>(t.routes());
                boolean removed = routes.removeIf(r -> r.table().equalsIgnoreCase(drop.table().qualified())
                        && r.op() == drop.op());
                if (!removed) {
                    throw new KalamException(KalamErrorCode.OBJECT_NOT_FOUND,
                            "topic '" + t.qualifiedName() + "' has no source "
                            + drop.table().qualified() + " ON " + drop.op().name());
                }
                append(new Command.SetTopicRoutes(t.id(), t.routes(), routes, now()));
                yield StatementResult.message("Removed source " + drop.table().qualified() + " ON "
                        + drop.op().wireName() + " from topic '" + t.qualifiedName() + "'", 0, who);
            }
            case Stmt.Consume c -> {
                existing(c.topic());
                ConsumeResult r = topics.consume(new ConsumeRequest(c.topic(), c.group(), c.partition(), c.start(),
                        c.startOffset(), c.limit(), false, c.group() != null));
                List<Object[]> rows = new ArrayList<>();
                for (TopicMessage m : r.messages()) {
                    rows.add(new Object[] {m.topic(), m.partition(), m.offset(), m.key(), m.payload(), m.timestampMs(),
                        m.userId(), m.op().wireName()});
                }
                yield StatementResult.rows(MESSAGE_SCHEMA, rows, who, false);
            }
            case Stmt.Ack a -> {
                existing(a.topic());
                long committed = topics.ack(a.topic(), a.group(), a.partition(), a.offset());
                List<ColumnInfo> schema = List.of(SystemTable.col("topic", KalamType.TEXT),
                        SystemTable.col("group_id", KalamType.TEXT), SystemTable.col("partition", KalamType.INT),
                        SystemTable.col("committed_offset", KalamType.BIGINT));
                List<Object[]> rows = new ArrayList<>();
                rows.add(new Object[] {a.topic(), a.group(), a.partition(), committed});
                yield StatementResult.rows(schema, rows, who, false);
            }
            default -> throw KalamException.internal("not a topic statement", null);
        };
    }
}
