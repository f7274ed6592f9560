package io.kalamdb.server;

import io.kalamdb.engine.KalamEngine;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.error.KalamException;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a few read-only statements through Calcite while the server starts, so that the first user's first query
 * and first SQL mistake do not pay for loading and compiling the planner (seconds on a cold JVM).
 *
 * <p>It runs on a daemon thread of its own and never delays start-up: a request that arrives meanwhile is
 * planned concurrently, as any two requests are. The statements read system tables only and write nothing.
 */
final class SqlWarmup {
    private static final Logger LOG = LoggerFactory.getLogger(SqlWarmup.class);
    /** A valid query, a query naming a table that does not exist, and one with an unknown column. */
    static final List<String> STATEMENTS = List.of(
            "SELECT namespace_id FROM system.namespaces WHERE namespace_id = 'warmup' LIMIT 1",
            "SELECT * FROM system.kalamdb_warmup_no_such_table",
            "SELECT kalamdb_warmup_no_such_column FROM system.namespaces");

    private SqlWarmup() {
    }

    /** Starts the warm-up in the background; returns the thread (tests may join it). */
    static Thread start(KalamEngine engine) {
        Thread thread = new Thread(() -> run(engine), "kalamdb-sql-warmup");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
        return thread;
    }

    private static void run(KalamEngine engine) {
        long start = System.nanoTime();
        Session system = new Session("root", Role.SYSTEM);
        for (String sql : STATEMENTS) {
            try {
                engine.execute(system, sql, List.of(), "default");
            } catch (KalamException expected) {
                // the error path is what is being warmed
            } catch (RuntimeException e) {
                LOG.debug("SQL warm-up stopped [sql={}]", sql, e);
                return;
            }
        }
        LOG.debug("SQL warm-up done in {} ms", (System.nanoTime() - start) / 1_000_000);
    }
}
