package io.kalamdb.engine;

import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.util.function.Supplier;

/**
 * The deadline and cancel flag of one running request: whoever started it may {@link #cancel} it from any
 * thread (for example when its client goes away), and the engine's long loops (table scans, DML planning) call
 * {@link #checkCurrent} to stop with {@code STATEMENT_TIMEOUT} or {@code STATEMENT_CANCELLED}.
 *
 * <p>The control in force is a thread-local set by {@link #run} for the duration of the engine call, so scans
 * deep inside Calcite find it without threading it through every signature. A check costs a thread-local and a
 * volatile read, plus a clock read when there is a deadline (tens of nanoseconds; decoding a row costs more).
 */
public final class StatementControl {
    private static final ThreadLocal<StatementControl> CURRENT = new ThreadLocal<>();
    private volatile boolean cancelled;
    private volatile long deadlineNanos;
    private volatile long timeoutMs;

    /** A control with no deadline yet, not cancelled. */
    public StatementControl() {
    }

    /** Starts the clock: the request may run {@code timeoutMs} from now; 0 = no limit. */
    public StatementControl startTimer(long timeoutMs) {
        if (timeoutMs < 0) {
            throw new IllegalArgumentException("timeoutMs must not be negative: " + timeoutMs);
        }
        this.timeoutMs = timeoutMs;
        this.deadlineNanos = timeoutMs == 0 ? 0 : System.nanoTime() + timeoutMs * 1_000_000L;
        return this;
    }

    /** Asks the request to stop at its next check; thread-safe and idempotent. */
    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Throws if the request was cancelled or is past its deadline. */
    public void check() {
        if (cancelled) {
            throw new KalamException(KalamErrorCode.STATEMENT_CANCELLED, "statement cancelled");
        }
        long deadline = deadlineNanos;
        if (deadline != 0 && System.nanoTime() - deadline > 0) {
            throw timedOut();
        }
    }

    private KalamException timedOut() {
        return new KalamException(KalamErrorCode.STATEMENT_TIMEOUT, "statement timed out [timeoutMs=" + timeoutMs
                + "]");
    }

    /** Runs {@code body} with this control in force on the current thread; checks it first. */
    public <T> T run(Supplier<T> body) {
        check();
        StatementControl previous = CURRENT.get();
        CURRENT.set(this);
        try {
            return body.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** Checks the control in force on this thread, if any; cheap enough for every row of a scan. */
    public static void checkCurrent() {
        StatementControl c = CURRENT.get();
        if (c != null) {
            c.check();
        }
    }
}
