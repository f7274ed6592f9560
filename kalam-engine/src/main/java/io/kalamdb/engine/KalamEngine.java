package io.kalamdb.engine;

import io.kalamdb.engine.auth.UserService;

import java.util.List;

/**
 * The embedded database: open it on a data directory, run SQL in a {@link Session}, close it.
 * Thread-safe; {@link #execute} blocks (RocksDB I/O, group commit) and must run off event loops.
 */
public final class KalamEngine implements AutoCloseable {

    public static KalamEngine open(EngineConfig config) {
        throw new UnsupportedOperationException("in progress");
    }

    /**
     * Runs one request: a batch of {@code ;}-separated statements, parsed and authorised as a whole before
     * any executes, with optional positional parameters ({@code $1 …}) for a single statement.
     *
     * @param defaultNamespace the namespace of unqualified table names (request field {@code namespace_id})
     * @throws io.kalamdb.engine.error.KalamException with a stable code on any failure
     */
    public List<StatementResult> execute(Session session, String sql, List<Object> params, String defaultNamespace) {
        throw new UnsupportedOperationException("in progress");
    }

    public UserService users() {
        throw new UnsupportedOperationException("in progress");
    }

    @Override
    public void close() {
    }
}
