package io.kalamdb.engine.sql;

import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Re-runs a statement whose command was rejected with {@code CONFLICT}: each attempt re-reads the state, plans
 * again and submits a new command, so it either applies against the version it read or is planned again. Only
 * statements whose one side effect is that command are retried this way (a rejected command changed nothing).
 * Attempts are bounded and spaced by a short random pause that grows with the attempt, so that writers racing
 * for one row or one table spread out; after the last attempt the caller gets the {@code CONFLICT}.
 */
final class ConflictRetry {
    /** Attempts of one statement; 40 writers racing for one table need up to 40 rounds. */
    static final int MAX_ATTEMPTS = 100;
    private static final long MAX_PAUSE_MICROS = 4_000;

    private ConflictRetry() {
    }

    /** Runs {@code attempt} until it does not fail with {@code CONFLICT}, at most {@link #MAX_ATTEMPTS} times. */
    static <T> T run(Supplier<T> attempt) {
        for (int i = 1; ; i++) {
            try {
                return attempt.get();
            } catch (KalamException e) {
                if (e.code() != KalamErrorCode.CONFLICT || i >= MAX_ATTEMPTS) {
                    throw exhausted(e, i);
                }
            }
            pause(i);
        }
    }

    /** Sleeps the short random pause before attempt {@code attempt + 1}. */
    static void pause(int attempt) {
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(pauseMicros(attempt)));
    }

    /** Like {@link #run}, for an attempt that completes later; the pauses do not hold a thread. */
    static <T> CompletableFuture<T> runAsync(Supplier<CompletableFuture<T>> attempt) {
        return attemptAsync(attempt, 1);
    }

    private static <T> CompletableFuture<T> attemptAsync(Supplier<CompletableFuture<T>> attempt, int i) {
        CompletableFuture<T> first;
        try {
            first = attempt.get();
        } catch (KalamException e) {
            first = CompletableFuture.failedFuture(e);
        }
        return first.exceptionallyCompose(failure -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (!(cause instanceof KalamException k) || k.code() != KalamErrorCode.CONFLICT || i >= MAX_ATTEMPTS) {
                return CompletableFuture.failedFuture(cause instanceof KalamException k ? exhausted(k, i) : cause);
            }
            // planning again must not run on the writer thread that completed the future
            return CompletableFuture.supplyAsync(() -> attemptAsync(attempt, i + 1),
                    CompletableFuture.delayedExecutor(pauseMicros(i), TimeUnit.MICROSECONDS))
                    .thenCompose(f -> f);
        });
    }

    private static KalamException exhausted(KalamException e, int attempts) {
        if (e.code() != KalamErrorCode.CONFLICT) {
            return e;
        }
        return new KalamException(KalamErrorCode.CONFLICT, "concurrent changes kept invalidating this statement; "
                + "it was not applied, retry it [attempts=" + attempts + "]: " + e.getMessage(), e);
    }

    private static long pauseMicros(int attempt) {
        long bound = Math.min(MAX_PAUSE_MICROS, 50L << Math.min(attempt, 10));
        return ThreadLocalRandom.current().nextLong(1, bound + 1);
    }
}
