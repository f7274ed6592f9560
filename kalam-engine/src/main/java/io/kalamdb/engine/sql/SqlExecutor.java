package io.kalamdb.engine.sql;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.EngineConfig;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.write.WriteLog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs one request: checks its size and parameters, splits the batch, parses and authorises every statement before
 * any runs, then hands the batch to the {@link BatchRunner} (a request that is one INSERT, UPDATE or DELETE goes
 * straight to the {@link StatementDispatcher}, whose future completes when the write is durable).
 */
public final class SqlExecutor {
    private final EngineConfig config;
    private final Authorizer authorizer;
    private final StatementDispatcher statements;
    private final BatchRunner runner;
    private final io.kalamdb.engine.util.Ids ids;

    public SqlExecutor(EngineConfig config, Catalog catalog, WriteLog log,
                       QueryRunner queries, LiveQueryControl live, DmlPlanner dml, DdlExecutor ddl, TopicExecutor topicExecutor, HotStore store) {
        this.config = requireNonNull(config, "config is null");
        requireNonNull(store, "store is null");
        requireNonNull(catalog, "catalog is null");
        this.authorizer = new Authorizer(catalog, queries, dml);
        this.statements = new StatementDispatcher(config, catalog, log, authorizer, queries, live, dml, ddl,
                topicExecutor);
        this.runner = new BatchRunner(statements, catalog, new io.kalamdb.engine.hot.HotPartitionReader(store));
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
                throw BatchRunner.prefixed(e, i, batch);
            }
        }
        for (int i = 0; i < stmts.size(); i++) {
            try {
                authorizer.check(stmts.get(i), session, ns);
            } catch (KalamException e) {
                throw BatchRunner.prefixed(e, i, batch);
            }
        }
        if (!batch) {
            CompletableFuture<List<StatementResult>> async = tryAsyncWrite(stmts.get(0), session, ns);
            if (async != null) {
                return async;
            }
        }
        return CompletableFuture.completedFuture(runner.run(stmts, session, ns, batch));
    }

    /** A single DML statement as a future of its acknowledgement, or null for anything else. */
    private CompletableFuture<List<StatementResult>> tryAsyncWrite(Stmt stmt, Session session, String ns) {
        Session s = session;
        Stmt inner = stmt;
        if (stmt instanceof Stmt.ExecuteAs ea) {
            s = authorizer.impersonate(ea.userId(), session);
            inner = ea.inner();
        }
        if (BatchRunner.dmlKind(inner) < 0) {
            return null;
        }
        Session subject = s;
        Stmt dmlStmt = inner;
        return ConflictRetry.runAsync(() -> ids.bind(() -> statements.planAndAppend(dmlStmt, subject, ns)));
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

}
