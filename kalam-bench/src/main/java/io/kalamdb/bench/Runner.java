package io.kalamdb.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs client threads against the server: closed loops for a fixed time (throughput runs), or a fixed amount
 * of work (loads, read runs). Every loop is bounded in time and in count; threads that outlive their deadline
 * are interrupted and reported.
 */
final class Runner {

    /** One request of client {@code client}; returns null on success, else a short error text. */
    @FunctionalInterface
    interface Op {
        String run(int client, long seq, Sample sample) throws IOException;
    }

    /** What an op may report besides success: the server's own time ("took" of the answer), -1 if unknown. */
    static final class Sample {
        long serverNanos = -1;

        /** Takes {@code "took":<ms>} from an answer of /v1/api/sql. */
        void tookFrom(Transport.Response response) {
            String body = response.body();
            int at = body.lastIndexOf("\"took\":");
            if (at < 0) {
                return;
            }
            int from = at + 7;
            int to = from;
            while (to < body.length() && "0123456789.eE-".indexOf(body.charAt(to)) >= 0) {
                to++;
            }
            try {
                serverNanos = (long) (Double.parseDouble(body.substring(from, to)) * 1e6);
            } catch (NumberFormatException ignored) {
                serverNanos = -1;
            }
        }
    }

    /** What a run measured: successes and latencies inside the measured window only. */
    record Outcome(long ok, long errors, double seconds, Latencies.Sorted latencies, Latencies.Sorted serverTook,
                   String firstError, long[] okPerClientIncludingWarmup) {
        double perSecond() {
            return ok / seconds;
        }
    }

    private static final int MAX_CONSECUTIVE_ERRORS = 1000;

    private Runner() {
    }

    /**
     * {@code clients} threads each run {@code op} back to back for {@code warmupSeconds} (not recorded), then
     * for {@code measureSeconds}; requests that start and finish inside the measured window are counted.
     */
    static Outcome timed(int clients, double warmupSeconds, double measureSeconds, long maxOpsPerClient,
                         int requestTimeoutSeconds, Op op) {
        long start = System.nanoTime() + 50_000_000L; // every thread is started before the clock begins
        long warmEnd = start + (long) (warmupSeconds * 1e9);
        long end = warmEnd + (long) (measureSeconds * 1e9);
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        long[] okAll = new long[clients];
        List<Latencies> latencies = new ArrayList<>();
        List<Latencies> took = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Latencies lat = new Latencies();
            Latencies server = new Latencies();
            latencies.add(lat);
            took.add(server);
            int client = c;
            threads.add(Thread.ofPlatform().name("bench-client-" + c).start(() -> {
                long myOk = 0;
                long myErrors = 0;
                int consecutiveErrors = 0;
                while (System.nanoTime() < start) {
                    Thread.onSpinWait();
                }
                for (long seq = 0; seq < maxOpsPerClient && !Thread.currentThread().isInterrupted(); seq++) {
                    long s = System.nanoTime();
                    if (s >= end) {
                        break;
                    }
                    Sample sample = new Sample();
                    String error = runOp(op, client, seq, sample);
                    long e = System.nanoTime();
                    if (error == null) {
                        consecutiveErrors = 0;
                        okAll[client]++;
                        if (s >= warmEnd && e <= end) {
                            lat.record(e - s);
                            server.record(sample.serverNanos);
                            myOk++;
                        }
                    } else {
                        firstError.compareAndSet(null, error);
                        if (s >= warmEnd) {
                            myErrors++;
                        }
                        if (++consecutiveErrors >= MAX_CONSECUTIVE_ERRORS) {
                            firstError.compareAndSet(null, "client " + client + " gave up after "
                                    + MAX_CONSECUTIVE_ERRORS + " consecutive errors");
                            break;
                        }
                    }
                }
                ok.addAndGet(myOk);
                errors.addAndGet(myErrors);
            }));
        }
        joinAll(threads, end + (requestTimeoutSeconds + 5) * 1_000_000_000L, firstError);
        return new Outcome(ok.get(), errors.get(), measureSeconds, Latencies.merge(latencies),
                Latencies.merge(took), firstError.get(), okAll);
    }

    /**
     * {@code clients} threads each run {@code warmupPerClient} unrecorded then {@code countPerClient} recorded
     * requests; the measured time runs from the first recorded request to the last one's end.
     */
    static Outcome counted(int clients, int warmupPerClient, int countPerClient, long deadlineSeconds, Op op) {
        long deadline = System.nanoTime() + deadlineSeconds * 1_000_000_000L;
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong firstStart = new AtomicLong(Long.MAX_VALUE);
        AtomicLong lastEnd = new AtomicLong(Long.MIN_VALUE);
        AtomicReference<String> firstError = new AtomicReference<>();
        long[] okAll = new long[clients];
        List<Latencies> latencies = new ArrayList<>();
        List<Latencies> took = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Latencies lat = new Latencies();
            Latencies server = new Latencies();
            latencies.add(lat);
            took.add(server);
            int client = c;
            threads.add(Thread.ofPlatform().name("bench-client-" + c).start(() -> {
                int consecutiveErrors = 0;
                for (long seq = 0; seq < warmupPerClient + countPerClient; seq++) {
                    if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
                        firstError.compareAndSet(null, "deadline of " + deadlineSeconds + " s reached");
                        break;
                    }
                    boolean measured = seq >= warmupPerClient;
                    long s = System.nanoTime();
                    if (measured) {
                        firstStart.accumulateAndGet(s, Math::min);
                    }
                    Sample sample = new Sample();
                    String error = runOp(op, client, seq, sample);
                    long e = System.nanoTime();
                    if (error == null) {
                        consecutiveErrors = 0;
                        okAll[client]++;
                        if (measured) {
                            lat.record(e - s);
                            server.record(sample.serverNanos);
                            ok.incrementAndGet();
                        }
                    } else {
                        firstError.compareAndSet(null, error);
                        if (measured) {
                            errors.incrementAndGet();
                        }
                        if (++consecutiveErrors >= MAX_CONSECUTIVE_ERRORS) {
                            break;
                        }
                    }
                    if (measured) {
                        lastEnd.accumulateAndGet(e, Math::max);
                    }
                }
            }));
        }
        joinAll(threads, deadline + 5_000_000_000L, firstError);
        double seconds = Math.max(1e-9, (lastEnd.get() - firstStart.get()) / 1e9);
        return new Outcome(ok.get(), errors.get(), seconds, Latencies.merge(latencies),
                Latencies.merge(took), firstError.get(), okAll);
    }

    /**
     * {@code clients} threads share {@code tasks} numbered requests ({@code seq} = task number) until all are
     * done; the measured time is the wall time of the whole run.
     */
    static Outcome drain(int clients, long tasks, long deadlineSeconds, Op op) {
        long begin = System.nanoTime();
        long deadline = begin + deadlineSeconds * 1_000_000_000L;
        AtomicLong next = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        long[] okAll = new long[clients];
        List<Latencies> latencies = new ArrayList<>();
        List<Latencies> took = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Latencies lat = new Latencies();
            Latencies server = new Latencies();
            latencies.add(lat);
            took.add(server);
            int client = c;
            threads.add(Thread.ofPlatform().name("bench-loader-" + c).start(() -> {
                for (long task = next.getAndIncrement(); task < tasks; task = next.getAndIncrement()) {
                    if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
                        firstError.compareAndSet(null, "deadline of " + deadlineSeconds + " s reached");
                        return;
                    }
                    long s = System.nanoTime();
                    Sample sample = new Sample();
                    String error = runOp(op, client, task, sample);
                    if (error == null) {
                        lat.record(System.nanoTime() - s);
                        server.record(sample.serverNanos);
                        okAll[client]++;
                        ok.incrementAndGet();
                    } else {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, error);
                        return; // a load with holes would falsify the reads: stop this loader
                    }
                }
            }));
        }
        joinAll(threads, deadline + 5_000_000_000L, firstError);
        double seconds = Math.max(1e-9, (System.nanoTime() - begin) / 1e9);
        return new Outcome(ok.get(), errors.get(), seconds, Latencies.merge(latencies),
                Latencies.merge(took), firstError.get(), okAll);
    }

    private static String runOp(Op op, int client, long seq, Sample sample) {
        try {
            return op.run(client, seq, sample);
        } catch (IOException | RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static void joinAll(List<Thread> threads, long deadlineNanos, AtomicReference<String> firstError) {
        for (Thread t : threads) {
            long left = deadlineNanos - System.nanoTime();
            try {
                if (left <= 0 || !t.join(java.time.Duration.ofNanos(left))) {
                    firstError.compareAndSet(null, t.getName() + " did not finish in time (interrupted)");
                    t.interrupt();
                    t.join(java.time.Duration.ofSeconds(5));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
