package io.kalamdb.server.it;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Starts tasks at the same moment on a pool and collects their results in order (for tests that race writers). */
final class Race {
    private Race() {
    }

    /** Runs {@code tasks} at once on {@code pool}; each must finish within {@code timeoutSeconds}. */
    static <T> List<T> all(ExecutorService pool, List<Callable<T>> tasks, long timeoutSeconds) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> task : tasks) {
            futures.add(pool.submit(() -> {
                start.await();
                return task.call();
            }));
        }
        start.countDown();
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            out.add(f.get(timeoutSeconds, TimeUnit.SECONDS));
        }
        return out;
    }
}
