package io.kalamdb.engine.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Re-running a statement after {@code CONFLICT}: only conflicts are retried, a bounded number of times. */
@Timeout(30)
class ConflictRetryTest {

    @Test
    void aConflictIsRetriedUntilTheAttemptSucceeds() {
        AtomicInteger attempts = new AtomicInteger();
        String result = ConflictRetry.run(() -> {
            if (attempts.incrementAndGet() < 5) {
                throw KalamException.conflict("row changed");
            }
            return "done";
        });
        assertEquals("done", result);
        assertEquals(5, attempts.get());
    }

    @Test
    void anyOtherFailureEndsAtOnceAndUnchanged() {
        AtomicInteger attempts = new AtomicInteger();
        KalamException thrown = new KalamException(KalamErrorCode.COLUMN_EXISTS, "column already exists [column=a]");
        KalamException e = assertThrows(KalamException.class, () -> ConflictRetry.run(() -> {
            attempts.incrementAndGet();
            throw thrown;
        }));
        assertEquals(thrown, e);
        assertEquals(1, attempts.get());
    }

    @Test
    void attemptsAreBoundedAndTheLastConflictSaysNothingWasApplied() {
        AtomicInteger attempts = new AtomicInteger();
        KalamException e = assertThrows(KalamException.class, () -> ConflictRetry.run(() -> {
            attempts.incrementAndGet();
            throw KalamException.conflict("table changed meanwhile");
        }));
        assertEquals(KalamErrorCode.CONFLICT, e.code());
        assertEquals(ConflictRetry.MAX_ATTEMPTS, attempts.get());
        assertTrue(e.getMessage().contains("not applied") && e.getMessage().contains("table changed meanwhile"),
                e.getMessage());
    }

    /** The async form retries a failed future on another thread, not on the one that completed it. */
    @Test
    void asyncRetriesRunOffTheCompletingThread() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Thread caller = Thread.currentThread();
        CompletableFuture<Thread> result = ConflictRetry.runAsync(() -> {
            if (attempts.incrementAndGet() == 1) {
                return CompletableFuture.failedFuture(KalamException.conflict("row changed"));
            }
            return CompletableFuture.completedFuture(Thread.currentThread());
        });
        Thread retriedOn = result.get(10, TimeUnit.SECONDS);
        assertEquals(2, attempts.get());
        assertNotEquals(caller, retriedOn);
        CompletableFuture<Object> failed = ConflictRetry.runAsync(
                () -> CompletableFuture.failedFuture(KalamException.columnNotFound("a", "app.t")));
        ExecutionException e = assertThrows(ExecutionException.class, () -> failed.get(10, TimeUnit.SECONDS));
        assertEquals(KalamErrorCode.COLUMN_NOT_FOUND, assertInstanceOf(KalamException.class, e.getCause()).code());
    }
}
