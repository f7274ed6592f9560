package io.kalamdb.engine.hot;

import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts the callers inside RocksDB's native handles so that the store closes them only once nobody uses them:
 * a native handle used after it was closed crashes the whole JVM (seen as a SIGSEGV in {@code RocksDB.iterator}
 * when a server stopped while a join kept opening scans). Once closing starts, new uses are refused with
 * {@code SHUTTING_DOWN}, open cursors fail at their next step, and {@link #closeAndAwait} waits for the last
 * user to leave.
 */
final class NativeUseGuard {
    private final AtomicInteger users = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private volatile boolean closing;

    /** Enters a use of the native handles; each successful call is followed by exactly one {@link #exit}. */
    void enter() {
        users.incrementAndGet();
        if (closing) {
            exit();
            throw stopped();
        }
    }

    /** Leaves a use begun by {@link #enter}. */
    void exit() {
        if (users.decrementAndGet() == 0 && closing) {
            lock.lock();
            try {
                idle.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Whether closing has begun: a long use (a cursor) checks this at every step. */
    boolean isClosing() {
        return closing;
    }

    /** Refuses new uses and waits for the current ones to end; false if some are still inside after the wait. */
    boolean closeAndAwait(long timeout, TimeUnit unit) throws InterruptedException {
        closing = true;
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        lock.lock();
        try {
            while (users.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                // bounded slices: an exit between the check and the wait is seen at the next slice at the latest
                idle.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** How many uses are in progress (for the log line of a close that gave up waiting). */
    int users() {
        return users.get();
    }

    static KalamException stopped() {
        return new KalamException(KalamErrorCode.SHUTTING_DOWN,
                "the server is shutting down: the storage is closing and the statement was stopped");
    }
}
