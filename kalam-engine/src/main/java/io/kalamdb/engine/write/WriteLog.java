package io.kalamdb.engine.write;

import java.util.concurrent.CompletableFuture;

/**
 * Orders commands, makes them durable and has the {@link Applier} apply each exactly once. The single-node
 * log is {@link LocalWriteLog}; a Raft group (Apache Ratis) replaces it in cluster mode, not the applier.
 */
public interface WriteLog extends AutoCloseable {

    /** Completes once the command is applied and durable, or fails with the apply error. */
    CompletableFuture<ApplyResult> append(Command command);

    @Override
    void close();
}
