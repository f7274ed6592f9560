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
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.write.ApplyResult;
import io.kalamdb.engine.write.Command;
import io.kalamdb.engine.write.RowOp;
import io.kalamdb.engine.write.WriteLog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs one request: splits the batch, parses and authorises every statement before any runs, then
 * executes them in order. Explicit transactions ({@code BEGIN … COMMIT}) collect their row changes and
 * commit them as one command. In a batch of several statements the INSERT/UPDATE/DELETE counts are summed
 * into up to three results at the end, as the reference does.
 */
public final class SqlExecutor {
    private final EngineConfig config;
    private final Catalog catalog;
    private final WriteLog log;
    private final Authorizer authorizer;
    private final QueryRunner queries;
    private final io.kalamdb.engine.live.LiveQueryRegistry live;
    private final DmlPlanner dml;
    private final DdlExecutor ddl;
    private final TopicExecutor topicExecutor;
    private final HotStore store;
    private final io.kalamdb.engine.util.Ids ids;

    public SqlExecutor(EngineConfig config, Catalog catalog, WriteLog log,
                       QueryRunner queries, io.kalamdb.engine.live.LiveQueryRegistry live, DmlPlanner dml, DdlExecutor ddl, TopicExecutor topicExecutor, HotStore store) {
        this.config = requireNonNull(config, "config is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.log = requireNonNull(log, "log is null");
        this.queries = requireNonNull(queries, "queries is null");
        this.live = requireNonNull(live, "live is null");
        this.dml = requireNonNull(dml, "dml is null");
        this.ddl = requireNonNull(ddl, "ddl is null");
        this.topicExecutor = requireNonNull(topicExecutor, "topicExecutor is null");
        this.store = requireNonNull(store, "store is null");
        this.authorizer = new Authorizer(catalog, queries, dml);
        this.ids = new io.kalamdb.engine.util.Ids(config.nodeId(), config.clock());
    }

    public List<StatementResult> execute(Session session, String sql, List<Object> params, String namespace) {
        try {
            return executeAsync(session, sql, params, namespace).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof KalamException k) {
                throw k;
            }
            throw e;
        }
    }

    /**
     * Like {@link #execute}, but a request that is a single INSERT, UPDATE or DELETE does not wait for its
     * write to be durable on the calling thread: the future completes when the write log acknowledges it, so
     * the caller's thread is free meanwhile (and more writes share each group commit).
     */
    public CompletableFuture<List<StatementResult>> executeAsync(Session session, String sql, List<Object> params,
                                                                 String namespace) {
        try {
            return ids.bind(() -> start(session, sql, params, namespace));
        } catch (ExceptionInInitializerError | StackOverflowError e) {
            // Calcite's generated code folds constants in static initialisers (SELECT 1/0 fails there), and a deep
            // expression can exhaust the stack: both are the statement's fault, reported like any execution error
            throw QueryRunner.translate(e, sql);
        } catch (AssertionError e) {
            // Calcite's planner answers some malformed trees (EXISTS EXISTS (…)) with an AssertionError
            if (isCalcite(e)) {
                throw new KalamException(KalamErrorCode.INVALID_SQL, "statement not supported: the SQL planner "
                        + "cannot handle this form", e);
            }
            throw e;
        }
    }

    /** Statement texts by request text: clients repeat the same texts, and lexing one costs more than its run. */
    private static final int SPLIT_CACHE_SIZE = 1024;
    private static final int MAX_SPLIT_CACHED_LENGTH = 4 * 1024;
    private static final Map<String, List<String>> SPLITS = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
                    return size() > SPLIT_CACHE_SIZE;
                }
            });

    private static List<String> split(String sql) {
        List<String> texts = SPLITS.get(sql);
        if (texts == null) {
            texts = List.copyOf(SqlLexer.splitStatements(sql));
            if (sql.length() <= MAX_SPLIT_CACHED_LENGTH) {
                SPLITS.put(sql, texts);
            }
        }
        return texts;
    }

    private static boolean isCalcite(Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().startsWith("org.apache.calcite.");
    }

    private CompletableFuture<List<StatementResult>> start(Session session, String sql, List<Object> params,
                                                           String namespace) {
        if (sql == null || sql.isBlank()) {
            throw new KalamException(KalamErrorCode.EMPTY_SQL, "No SQL statements found");
        }
        if (sql.length() > config.maxSqlLength()) {
            throw KalamException.invalidSql("SQL query too long [length=" + sql.length() + ", max="
                    + config.maxSqlLength() + "]");
        }
        List<Object> ps = params == null ? List.of() : params;
        checkParams(ps);
        List<String> texts;
        try {
            texts = split(sql);
        } catch (KalamException e) {
            throw new KalamException(KalamErrorCode.BATCH_PARSE_ERROR, "Failed to parse SQL batch: "
                    + e.getMessage(), e.line(), e.column(), e);
        }
        if (texts.isEmpty()) {
            throw new KalamException(KalamErrorCode.EMPTY_SQL, "No SQL statements found");
        }
        if (!ps.isEmpty() && texts.size() > 1) {
            throw new KalamException(KalamErrorCode.PARAMS_WITH_BATCH,
                    "Parameters are not supported with multi-statement batches [statements=" + texts.size() + "]");
        }
        String ns = namespace == null || namespace.isBlank() ? "default" : namespace;
        boolean batch = texts.size() > 1;
        List<Stmt> stmts = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            try {
                stmts.add(KalamParser.parse(texts.get(i), ps, ns));
            } catch (KalamException e) {
                throw prefixed(e, i, batch);
            }
        }
        for (int i = 0; i < stmts.size(); i++) {
            try {
                authorizer.check(stmts.get(i), session, ns);
            } catch (KalamException e) {
                throw prefixed(e, i, batch);
            }
        }
        if (!batch) {
            CompletableFuture<List<StatementResult>> async = tryAsyncWrite(stmts.get(0), session, ns);
            if (async != null) {
                return async;
            }
        }
        return CompletableFuture.completedFuture(run(stmts, session, ns, batch));
    }

    /** A single DML statement as a future of its acknowledgement, or null for anything else. */
    private CompletableFuture<List<StatementResult>> tryAsyncWrite(Stmt stmt, Session session, String ns) {
        Session s = session;
        Stmt inner = stmt;
        if (stmt instanceof Stmt.ExecuteAs ea) {
            s = authorizer.impersonate(ea.userId(), session);
            inner = ea.inner();
        }
        if (dmlKind(inner) < 0) {
            return null;
        }
        Session subject = s;
        Stmt dmlStmt = inner;
        return ConflictRetry.runAsync(() -> ids.bind(() -> planAndAppend(dmlStmt, subject, ns)));
    }

    /** Plans one INSERT, UPDATE or DELETE against the current state and appends its command. */
    private CompletableFuture<List<StatementResult>> planAndAppend(Stmt inner, Session s, String ns) {
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

    private void checkParams(List<Object> ps) {
        if (ps.size() > config.maxParameters()) {
            throw new KalamException(KalamErrorCode.INVALID_PARAMETER, "Too many parameters: " + ps.size()
                    + " exceeds the parameter limit of " + config.maxParameters());
        }
        for (int i = 0; i < ps.size(); i++) {
            Object p = ps.get(i);
            if (p instanceof List<?> || p instanceof Map<?, ?>) {
                throw new KalamException(KalamErrorCode.INVALID_PARAMETER, "Parameter $" + (i + 1)
                        + " invalid: Array parameters not yet supported");
            }
            if (p instanceof String s && s.getBytes(StandardCharsets.UTF_8).length > config.maxParameterSizeBytes()) {
                throw new KalamException(KalamErrorCode.INVALID_PARAMETER, "Parameter $" + (i + 1)
                        + " invalid: size exceeds the maximum of " + config.maxParameterSizeBytes() + " bytes ("
                        + (config.maxParameterSizeBytes() / 1024) + " KiB)");
            }
        }
    }

    private static KalamException prefixed(KalamException e, int index, boolean batch) {
        return batch ? e.withPrefix("Statement " + (index + 1) + " failed: ") : e;
    }

    private List<StatementResult> run(List<Stmt> stmts, Session session, String ns, boolean batch) {
        List<StatementResult> results = new ArrayList<>();
        long[] counts = new long[3];
        List<RowOp> tx = null;
        int txStart = -1;
        int txResults = 0;
        long[] txCounts = null;
        int txAttempts = 0;
        for (int i = 0; i < stmts.size(); i++) {
            Stmt stmt = stmts.get(i);
            try {
                switch (stmt) {
                    case Stmt.Begin ignored -> {
                        if (tx != null) {
                            throw KalamException.execution("a transaction is already open");
                        }
                        tx = new ArrayList<>();
                        if (txStart != i) {
                            txStart = i;
                            txAttempts = 0;
                        }
                        txResults = results.size();
                        txCounts = counts.clone();
                        results.add(StatementResult.message("Transaction started", 0, session.userId()));
                    }
                    case Stmt.Commit ignored -> {
                        if (tx == null) {
                            throw KalamException.execution("no transaction is open");
                        }
                        if (!tx.isEmpty()) {
                            apply(tx);
                        }
                        tx = null;
                        txStart = -1;
                        results.add(StatementResult.message("Transaction committed", 0, session.userId()));
                    }
                    case Stmt.Rollback ignored -> {
                        if (tx == null) {
                            throw KalamException.execution("no transaction is open");
                        }
                        tx = null;
                        results.add(StatementResult.message("Transaction rolled back", 0, session.userId()));
                    }
                    default -> {
                        List<RowOp> open = tx;
                        StatementResult r = open == null && isDml(stmt)
                                ? ConflictRetry.run(() -> runOne(stmt, session, ns, null))
                                : runOne(stmt, session, ns, tx);
                        if (batch && r.hasRows() == false && isDml(stmt)) {
                            addCount(counts, stmt, r.rowCount());
                        } else {
                            results.add(r);
                        }
                    }
                }
            } catch (KalamException e) {
                if (tx != null && e.code() == KalamErrorCode.CONFLICT && ++txAttempts < ConflictRetry.MAX_ATTEMPTS
                        && isRerunnable(stmts, txStart)) {
                    // a row the transaction read changed: nothing of it was applied, so run it again from BEGIN
                    results.subList(txResults, results.size()).clear();
                    System.arraycopy(txCounts, 0, counts, 0, counts.length);
                    tx = null;
                    ConflictRetry.pause(txAttempts);
                    i = txStart - 1;
                    continue;
                }
                if (tx != null && e.code() == KalamErrorCode.CONFLICT) {
                    throw prefixed(new KalamException(KalamErrorCode.CONFLICT, "the transaction was not applied "
                            + "(rows it read kept changing, or it cannot be re-run); retry it [attempts="
                            + txAttempts + "]: " + e.getMessage(), e), i, batch);
                }
                throw prefixed(e, i, batch);
            } catch (RuntimeException e) {
                // not the client's doing: the edge logs the cause and tells the client only a reference
                throw prefixed(KalamException.internal("statement failed", e), i, batch);
            }
        }
        if (tx != null) {
            throw new KalamException(KalamErrorCode.SQL_EXECUTION_ERROR,
                    "Request completed with an open explicit transaction; rolled back automatically [begin=statement "
                            + (txStart + 1) + "]");
        }
        String who = session.userId();
        if (counts[0] > 0 || hasKind(stmts, 0)) {
            results.add(StatementResult.message("Inserted " + counts[0] + " row(s)", counts[0], who));
        }
        if (counts[1] > 0 || hasKind(stmts, 1)) {
            results.add(StatementResult.message("Updated " + counts[1] + " row(s)", counts[1], who));
        }
        if (counts[2] > 0 || hasKind(stmts, 2)) {
            results.add(StatementResult.message("Deleted " + counts[2] + " row(s)", counts[2], who));
        }
        return results;
    }

    /**
     * Whether the transaction opened at {@code begin} may run again after a {@code CONFLICT}: up to its COMMIT
     * it holds only reads and row changes, whose one effect is the command its COMMIT submits.
     */
    private static boolean isRerunnable(List<Stmt> stmts, int begin) {
        for (int j = begin + 1; j < stmts.size(); j++) {
            Stmt st = stmts.get(j);
            if (st instanceof Stmt.Commit) {
                return true;
            }
            if (!isDml(st) && !(st instanceof Stmt.Query)) {
                return false;
            }
        }
        return false;
    }

    private static boolean hasKind(List<Stmt> stmts, int kind) {
        if (stmts.size() < 2) {
            return false;
        }
        for (Stmt s : stmts) {
            if (dmlKind(s) == kind) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDml(Stmt s) {
        return dmlKind(s) >= 0;
    }

    private static int dmlKind(Stmt s) {
        Stmt inner = s instanceof Stmt.ExecuteAs ea ? ea.inner() : s;
        return switch (inner) {
            case Stmt.Insert ignored -> 0;
            case Stmt.Update ignored -> 1;
            case Stmt.Delete ignored -> 2;
            default -> -1;
        };
    }

    private static void addCount(long[] counts, Stmt s, long n) {
        counts[dmlKind(s)] += n;
    }

    private StatementResult runOne(Stmt stmt, Session session, String ns, List<RowOp> tx) {
        ScanScope scope = new ScanScope(session.userId(), false);
        String who = session.userId();
        return switch (stmt) {
            case Stmt.Query q -> query(q, session, scope, ns);
            case Stmt.Insert ins -> write(dml.insert(ins, session, scope, ns), tx, who, "Inserted", ins.table());
            case Stmt.Update upd -> write(dml.update(upd, session, scope, ns), tx, who, "Updated", upd.table());
            case Stmt.Delete del -> write(dml.delete(del, session, scope, ns), tx, who, "Deleted", del.table());
            case Stmt.ExecuteAs ea -> runOne(ea.inner(), authorizer.impersonate(ea.userId(), session), ns, tx);
            case Stmt.Subscribe sub -> subscribeInfo(sub, who);
            case Stmt.CreateTopic t -> topicExecutor.execute(t, who);
            case Stmt.DropTopic t -> topicExecutor.execute(t, who);
            case Stmt.ClearTopic t -> topicExecutor.execute(t, who);
            case Stmt.AddTopicSource t -> topicExecutor.execute(t, who);
            case Stmt.DropTopicSource t -> topicExecutor.execute(t, who);
            case Stmt.Consume t -> topicExecutor.execute(t, who);
            case Stmt.Ack t -> topicExecutor.execute(t, who);
            case Stmt.KillLiveQuery kill -> {
                io.kalamdb.engine.live.Subscription target = live.find(kill.liveId());
                if (target == null) {
                    throw KalamException.execution("Live query not found: " + kill.liveId());
                }
                live.kill(target);
                yield StatementResult.message("Live query killed: " + kill.liveId(), 0, who);
            }
            default -> {
                if (tx != null) {
                    throw KalamException.execution("catalog statements are not supported inside explicit "
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
        ScanScope s = new ScanScope(scope.userId(), q.mentionsDeleted());
        ResultBudget budget = new ResultBudget(config.maxResultBytes());
        QueryRunner.Output out = queries.run(q.sql(), q.params(), ns, session, s, limit, budget);
        return StatementResult.rows(out.schema(), out.rows(), who, out.hasMore());
    }

    private StatementResult write(List<RowOp> ops, List<RowOp> tx, String who, String verb, Stmt.TableRef ref) {
        if (tx != null) {
            TableDef t = catalog.table(ref.namespace(), ref.name());
            if (t != null && t.type() == TableType.STREAM) {
                throw KalamException.execution("stream tables are not supported inside explicit transactions "
                        + "[table=" + t.qualifiedName() + "]");
            }
            tx.addAll(ops);
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
}
