package io.kalamdb.engine.write;

import java.util.concurrent.CompletableFuture;

/**
 * Orders commands, makes them durable and has the {@link Applier} apply each exactly once. The single-node
 * log is {@link LocalWriteLog}; a Raft group (Apache Ratis) replaces it in cluster mode, not the applier.
 */
public interface WriteLog extends AutoCloseable {

    /** Completes once the command is applied and durable, or fails with the apply error. */
    CompletableFuture<ApplyResult> append(Command command);

    /** Appends and waits until the command is applied and durable; its failure is rethrown as is. */
    default ApplyResult commit(Command command) {
        try {
            return append(command).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof io.kalamdb.engine.error.KalamException k) {
                throw k;
            }
            throw io.kalamdb.engine.error.KalamException.internal("write failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * The failure that stopped the log for good (a write-ahead log sync failed), if any: every later command
     * fails with it and the node should be restarted.
     */
    default java.util.Optional<io.kalamdb.engine.error.KalamException> failure() {
        return java.util.Optional.empty();
    }

    @Override
    void close();
}
