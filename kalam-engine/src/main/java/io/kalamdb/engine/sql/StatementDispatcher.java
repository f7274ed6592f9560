package io.kalamdb.engine.sql;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.EngineConfig;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.catalog.TableType;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.tx.Transaction;
import io.kalamdb.engine.write.ApplyResult;
import io.kalamdb.engine.write.Command;
import io.kalamdb.engine.write.RowOp;
import io.kalamdb.engine.write.WriteLog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one statement with the executor of its kind: queries with the {@link QueryRunner}, row changes planned by the
 * {@link DmlPlanner} (committed at once, or collected by the open transaction), catalog statements with the
 * {@link DdlExecutor}, topic statements with the {@link TopicExecutor}, live-query statements with the registry.
 */
final class StatementDispatcher {
    private final EngineConfig config;
    private final Catalog catalog;
    private final WriteLog log;
    private final Authorizer authorizer;
    private final QueryRunner queries;
    private final LiveQueryControl live;
    private final DmlPlanner dml;
    private final DdlExecutor ddl;
    private final TopicExecutor topicExecutor;

    StatementDispatcher(EngineConfig config, Catalog catalog, WriteLog log, Authorizer authorizer,
                        QueryRunner queries, LiveQueryControl live, DmlPlanner dml,
                        DdlExecutor ddl, TopicExecutor topicExecutor) {
        this.config = requireNonNull(config, "config is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.log = requireNonNull(log, "log is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
        this.queries = requireNonNull(queries, "queries is null");
        this.live = requireNonNull(live, "live is null");
        this.dml = requireNonNull(dml, "dml is null");
        this.ddl = requireNonNull(ddl, "ddl is null");
        this.topicExecutor = requireNonNull(topicExecutor, "topicExecutor is null");
    }

    /** Plans one INSERT, UPDATE or DELETE against the current state and appends its command. */
    CompletableFuture<List<StatementResult>> planAndAppend(Stmt inner, Session s, String ns) {
        ScanScope scope = new ScanScope(s.userId(), false);
        String who = s.userId();
        List<RowOp> ops;
        String verb;
        switch (inner) {
            case Stmt.Insert ins -> {
                ops = dml.insert(ins, s, scope, ns);
                verb = "Inserted";
            }
            case Stmt.Update upd -> {
                ops = dml.update(upd, s, scope, ns);
                verb = "Updated";
            }
            case Stmt.Delete del -> {
                ops = dml.delete(del, s, scope, ns);
                verb = "Deleted";
            }
            default -> throw KalamException.internal("not a DML statement: " + inner.getClass().getSimpleName(),
                    null);
        }
        if (ops.isEmpty()) {
            return CompletableFuture.completedFuture(List.of(StatementResult.message(verb + " 0 row(s)", 0, who)));
        }
        return log.append(new Command.Rows(ops)).thenApply(r -> {
            long n = switch (verb) {
                case "Inserted" -> r.inserted();
                case "Updated" -> r.updated();
                default -> r.deleted();
            };
            return List.of(StatementResult.message(verb + " " + n + " row(s)", n, who));
        });
    }

    /**
     * Runs one statement; inside an explicit transaction ({@code tx} not null) it reads through the transaction's
     * reader and its row changes are staged in the transaction instead of committed.
     */
    StatementResult run(Stmt stmt, Session session, String ns, Transaction tx) {
        ScanScope scope = new ScanScope(session.userId(), false, tx == null ? null : tx.reader());
        String who = session.userId();
        return switch (stmt) {
            case Stmt.Query q -> query(q, session, scope, ns);
            case Stmt.Insert ins -> write(dml.insert(ins, session, scope, ns), tx, who, "Inserted", ins.table());
            case Stmt.Update upd -> write(dml.update(upd, session, scope, ns), tx, who, "Updated", upd.table());
            case Stmt.Delete del -> write(dml.delete(del, session, scope, ns), tx, who, "Deleted", del.table());
            case Stmt.ExecuteAs ea -> run(ea.inner(), authorizer.impersonate(ea.userId(), session), ns, tx);
            case Stmt.Subscribe sub -> subscribeInfo(sub, who);
            case Stmt.CreateTopic t -> topicExecutor.execute(t, who);
            case Stmt.DropTopic t -> topicExecutor.execute(t, who);
            case Stmt.ClearTopic t -> topicExecutor.execute(t, who);
            case Stmt.AddTopicSource t -> topicExecutor.execute(t, who);
            case Stmt.DropTopicSource t -> topicExecutor.execute(t, who);
            case Stmt.Consume t -> topicExecutor.execute(t, who);
            case Stmt.Ack t -> topicExecutor.execute(t, who);
            case Stmt.KillLiveQuery kill -> {
                if (!live.kill(kill.liveId())) {
                    throw new KalamException(KalamErrorCode.OBJECT_NOT_FOUND, "Live query not found: " + kill.liveId());
                }
                yield StatementResult.message("Live query killed: " + kill.liveId(), 0, who);
            }
            default -> {
                if (tx != null) {
                    throw new KalamException(KalamErrorCode.OPERATION_NOT_ALLOWED,
                            "catalog statements are not supported inside explicit "
                            + "transactions");
                }
                yield ddl.execute(stmt, session);
            }
        };
    }

    private StatementResult subscribeInfo(Stmt.Subscribe sub, String who) {
        TableDef t = catalog.table(sub.table().namespace(), sub.table().name());
        if (t == null) {
            throw KalamException.tableNotFound(sub.table().qualified());
        }
        java.util.Map<String, Object> subscription = new java.util.LinkedHashMap<>();
        subscription.put("id", "sub-" + t.namespace() + "-" + t.name() + "-"
                + java.util.UUID.randomUUID().toString().replace("-", ""));
        subscription.put("sql", sub.selectSql());
        if (!sub.options().isEmpty()) {
            subscription.put("options", sub.options());
        }
        String json = new String(io.kalamdb.engine.util.Json.write(subscription), StandardCharsets.UTF_8);
        java.util.List<io.kalamdb.engine.ColumnInfo> schema = List.of(
                SystemTable.col("status", io.kalamdb.engine.catalog.KalamType.TEXT),
                SystemTable.col("ws_url", io.kalamdb.engine.catalog.KalamType.TEXT),
                SystemTable.col("subscription", io.kalamdb.engine.catalog.KalamType.JSON),
                SystemTable.col("message", io.kalamdb.engine.catalog.KalamType.TEXT));
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {"active", "/v1/ws", json,
            "WebSocket subscription created. Connect to ws_url to receive updates."});
        return StatementResult.rows(schema, rows, who, false);
    }

    private StatementResult query(Stmt.Query q, Session session, ScanScope scope, String ns) {
        String who = session.userId();
        for (Stmt.TableRef ref : q.tables()) {
            if (!ref.namespace().equalsIgnoreCase(SystemTables.NAMESPACE)
                    && catalog.table(ref.namespace(), ref.name()) == null) {
                throw KalamException.tableNotFound(ref.qualified());
            }
        }
        int limit = q.hasLimit() ? config.maxQueryLimit() : config.defaultQueryLimit();
        ScanScope s = new ScanScope(scope.userId(), q.mentionsDeleted(), scope.reader());
        ResultBudget budget = new ResultBudget(config.maxResultBytes());
        QueryRunner.Output out = queries.run(q.sql(), q.params(), ns, session, s, limit, budget);
        return StatementResult.rows(out.schema(), out.rows(), who, out.hasMore());
    }

    private StatementResult write(List<RowOp> ops, Transaction tx, String who, String verb, Stmt.TableRef ref) {
        if (tx != null) {
            TableDef t = catalog.table(ref.namespace(), ref.name());
            if (t != null && t.type() == TableType.STREAM) {
                throw new KalamException(KalamErrorCode.OPERATION_NOT_ALLOWED,
                        "stream tables are not supported inside explicit transactions "
                        + "[table=" + t.qualifiedName() + "]");
            }
            tx.stage(ops);
            return StatementResult.message(verb + " " + ops.size() + " row(s)", ops.size(), who);
        }
        if (ops.isEmpty()) {
            return StatementResult.message(verb + " 0 row(s)", 0, who);
        }
        ApplyResult r = apply(ops);
        long n = switch (verb) {
            case "Inserted" -> r.inserted();
            case "Updated" -> r.updated();
            default -> r.deleted();
        };
        return StatementResult.message(verb + " " + n + " row(s)", n, who);
    }

    private ApplyResult apply(List<RowOp> ops) {
        return log.commit(new Command.Rows(ops));
    }

    /** Commits the net row changes of an explicit transaction as one command (nothing when it changed nothing). */
    void commit(Transaction tx) {
        Command.Rows rows = tx.command();
        if (rows != null) {
            log.commit(rows);
        }
    }
}
