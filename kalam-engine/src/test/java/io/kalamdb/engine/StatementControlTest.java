package io.kalamdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The deadline and cancel flag of a request, as the scans see them through the thread-local. */
class StatementControlTest {

    @Test
    void noControlOnTheThreadMeansNoChecks() {
        StatementControl.checkCurrent();
    }

    @Test
    void aDeadlinePassedStopsTheNextCheckWithStatementTimeout() {
        StatementControl control = new StatementControl().startTimer(20);
        KalamException e = assertThrows(KalamException.class, () -> control.run(() -> {
            long until = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < until) {
                StatementControl.checkCurrent();
            }
            return null;
        }));
        assertEquals(KalamErrorCode.STATEMENT_TIMEOUT, e.code());
        assertEquals("statement timed out [timeoutMs=20]", e.getMessage());
        StatementControl.checkCurrent(); // the control is gone from the thread afterwards
    }

    @Test
    void zeroMeansNoLimit() {
        StatementControl control = new StatementControl().startTimer(0);
        assertEquals("done", control.run(() -> {
            StatementControl.checkCurrent();
            return "done";
        }));
        assertThrows(IllegalArgumentException.class, () -> new StatementControl().startTimer(-1));
    }

    @Test
    void aCancelFromAnotherThreadStopsTheRunningStatement() throws Exception {
        StatementControl control = new StatementControl().startTimer(0);
        CountDownLatch running = new CountDownLatch(1);
        Thread canceller = new Thread(() -> {
            try {
                if (running.await(10, TimeUnit.SECONDS)) {
                    control.cancel();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        canceller.start();
        KalamException e = assertThrows(KalamException.class, () -> control.run(() -> {
            running.countDown();
            long until = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < until) {
                StatementControl.checkCurrent();
            }
            return null;
        }));
        canceller.join();
        assertEquals(KalamErrorCode.STATEMENT_CANCELLED, e.code());
        assertTrue(control.isCancelled());
        assertThrows(KalamException.class, () -> control.run(() -> "never"), "a cancelled control runs nothing");
    }
}
