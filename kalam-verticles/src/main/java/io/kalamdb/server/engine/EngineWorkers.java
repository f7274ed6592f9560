package io.kalamdb.server.engine;

import static java.util.Objects.requireNonNull;

import io.vertx.core.WorkerExecutor;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The engine's threads as a plain {@link Executor} for the in-process {@code KalamService}: a Vert.x worker pool
 * whose tasks run unordered, so a request takes any free thread instead of queueing behind another user's long
 * statement, and Vert.x warns about a thread blocked past the pool's limit.
 */
public final class EngineWorkers {

    private EngineWorkers() {
    }

    /** Runs each task on {@code pool}; a closed pool refuses with {@link RejectedExecutionException}. */
    public static Executor executor(WorkerExecutor pool) {
        requireNonNull(pool, "pool is null");
        return task -> {
            try {
                pool.executeBlocking(() -> {
                    task.run();
                    return null;
                }, false);
            } catch (IllegalStateException e) {
                throw new RejectedExecutionException("the engine's worker pool is closed", e);
            }
        };
    }
}
