package io.kalamdb.engine.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kalamdb.engine.EngineFixture;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.auth.Role;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13, "converging resumes": a subscriber that went away while a writer inserts about 2,000 rows a second
 * resumes {@code from} the last {@code _seq} it saw, catches up page by page while the writes go on, and goes live:
 * every row exactly once, in {@code _seq} order, nothing held back or pinned between pages, never ended as
 * lagging although far more changes arrive during the catch-up than a loading subscription may hold back.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveResumeConvergenceTest {
    private static final Session ALICE = new Session("alice", Role.USER);
    /** Far below the rows written during a catch-up: holding them back would end the resume as lagging. */
    private static final int MAX_BUFFERED = 20;
    private static final int ROWS_PER_TICK = 20;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10); // 20 rows / 10 ms = 2,000 rows/s
    private EngineFixture fx;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture(Map.of("live.max_initial_buffered_changes", Integer.toString(MAX_BUFFERED),
                "live.max_snapshot_age_ms", "100", "limits.default_query_limit", "1000000",
                "limits.max_query_limit", "1000000"));
        fx.sql(EngineFixture.ROOT, "CREATE NAMESPACE chat; CREATE TABLE chat.messages (id INT PRIMARY KEY, "
                + "content TEXT) WITH (TYPE='USER')");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    /** Records initial batches, changes and a lagging verdict, in arrival order. */
    static final class Recorder implements LiveSink {
        final List<InitialBatch> batches = new CopyOnWriteArrayList<>();
        final List<LiveChange> changes = new CopyOnWriteArrayList<>();
        final AtomicReference<String> lagging = new AtomicReference<>();

        @Override
        public void initial(Subscription subscription, InitialBatch batch) {
            batches.add(batch);
        }

        @Override
        public void change(Subscription subscription, LiveChange change) {
            changes.add(change);
        }

        @Override
        public void lagging(Subscription subscription, long resumeFrom, String reason) {
            lagging.set(reason + " [resumeFrom=" + resumeFrom + "]");
        }

        int lastChangeId() {
            return changes.isEmpty() ? -1 : (Integer) changes.get(changes.size() - 1).rows().get(0).get("id");
        }
    }

    /** Inserts rows 0, 1, 2, … in ticks of {@link #ROWS_PER_TICK} rows paced at 2,000 rows a second. */
    private final class Writer implements Runnable {
        final AtomicInteger written = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile boolean stop;
        final Thread thread = new Thread(this, "resume-test-writer");

        volatile long startedNanos;
        volatile long stoppedNanos;

        @Override
        public void run() {
            long next = System.nanoTime();
            startedNanos = next;
            try {
                while (!stop) {
                    int from = written.get();
                    fx.sql(ALICE, "INSERT INTO chat.messages (id, content) VALUES " + IntStream
                            .range(from, from + ROWS_PER_TICK).mapToObj(i -> "(" + i + ", 'm" + i + "')")
                            .collect(Collectors.joining(", ")));
                    written.addAndGet(ROWS_PER_TICK);
                    next += TICK_NANOS;
                    LockSupport.parkNanos(next - System.nanoTime()); // the rate limiter
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }

        int stopAndJoin() throws InterruptedException {
            stop = true;
            thread.join(10_000);
            stoppedNanos = System.nanoTime();
            assertNull(failure.get(), () -> "the writer failed: " + failure.get());
            return written.get();
        }

        /** The rate the writer reached (the machine may be slower than the pace asked for). */
        long rowsPerSecond() {
            return written.get() * TimeUnit.SECONDS.toNanos(1) / Math.max(1, stoppedNanos - startedNanos);
        }
    }

    private static void await(BooleanSupplier condition, long timeoutMs, String what) {
        await(condition, timeoutMs, () -> what);
    }

    private static void await(BooleanSupplier condition, long timeoutMs, java.util.function.Supplier<String> what) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("not within " + timeoutMs + " ms: " + what.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    @Test
    void aResumeUnderSteadyWritesCatchesUpInPagesAndGoesLiveWithEveryRowOnceInOrder() throws Exception {
        long seed = Long.getLong("resume.seed", System.nanoTime());
        System.out.println("LiveResumeConvergenceTest seed=" + seed + " (repeat with -Dresume.seed=" + seed + ")");
        Random random = new Random(seed);
        int pageSize = 50 + random.nextInt(251);
        int seenBeforeCut = 100 + random.nextInt(500);
        int missed = 3_000 + random.nextInt(2_000);
        LiveQueryRegistry live = fx.engine().live();

        Recorder before = new Recorder();
        Subscription first = live.subscribe(ALICE, "c1", "s", "SELECT id, content FROM chat.messages",
                SubscribeOptions.defaults(), before);
        assertEquals(Subscription.State.LIVE, first.state());
        Writer writer = new Writer();
        writer.thread.start();
        try {
            await(() -> before.changes.size() >= seenBeforeCut, 20_000, "the first " + seenBeforeCut + " changes");
            live.unsubscribe(first); // the subscriber goes away; it saw the first seenBeforeCut changes
            List<LiveChange> seen = new ArrayList<>(before.changes.subList(0, seenBeforeCut));
            long lastSeen = seen.get(seen.size() - 1).seq();
            int atCut = writer.written.get();
            await(() -> writer.written.get() >= atCut + missed, 20_000, missed + " rows written while away");

            long start = System.nanoTime();
            int atResume = writer.written.get();
            Recorder after = new Recorder();
            Subscription resumed = live.subscribe(ALICE, "c2", "s", "SELECT id, content FROM chat.messages",
                    new SubscribeOptions(null, pageSize, lastSeen), after);
            int pages = 1;
            while (resumed.state() == Subscription.State.LOADING) {
                assertTrue(resumed.isCatchingUp());
                assertFalse(resumed.holdsSnapshot(), "no snapshot stays pinned between pages");
                assertEquals(0, resumed.bufferedChanges(), "no change is held back between pages");
                assertNull(after.lagging.get(), "the catch-up is not ended as lagging");
                live.nextBatch(resumed, null);
                pages++;
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "converges within 30 s");
            }
            long catchUpMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(Subscription.State.LIVE, resumed.state(), "caught up, then live");
            assertFalse(resumed.isCatchingUp());
            assertFalse(resumed.holdsSnapshot());
            int atLive = writer.written.get();
            await(() -> after.lastChangeId() >= atLive, 20_000, "a row written after the catch-up arrives live");
            int total = writer.stopAndJoin();
            await(() -> after.lastChangeId() == total - 1, 20_000, "every row written arrives");
            assertNull(after.lagging.get(), "never lagging");

            List<Integer> ids = new ArrayList<>();
            List<Long> seqs = new ArrayList<>();
            for (LiveChange c : seen) {
                ids.add((Integer) c.rows().get(0).get("id"));
                seqs.add(c.seq());
            }
            int catchUpRows = 0;
            for (InitialBatch b : after.batches) {
                assertTrue(b.rows().size() <= pageSize, "pages are bounded: " + b.rows().size());
                for (Map<String, Object> row : b.rows()) {
                    ids.add((Integer) row.get("id"));
                    seqs.add((Long) row.get("_seq"));
                    catchUpRows++;
                }
            }
            for (LiveChange c : after.changes) {
                ids.add((Integer) c.rows().get(0).get("id"));
                seqs.add(c.seq());
            }
            System.out.printf("seed=%d pageSize=%d seenBeforeCut=%d missed=%d atResume=%d pages=%d catchUpRows=%d "
                    + "catchUpMs=%d liveChanges=%d total=%d writerRowsPerSec=%d%n", seed, pageSize, seenBeforeCut,
                    atResume - seenBeforeCut, atResume, pages, catchUpRows, catchUpMs, after.changes.size(), total,
                    writer.rowsPerSecond());
            assertEquals(pages, after.batches.size());
            assertTrue(catchUpRows >= atResume - seenBeforeCut,
                    "seed=" + seed + ": the catch-up read the missed rows");
            for (int i = 1; i < seqs.size(); i++) {
                assertTrue(seqs.get(i) > seqs.get(i - 1), "seed=" + seed + ": _seq order broken at " + i + " (id "
                        + ids.get(i) + ")");
            }
            assertEquals(IntStream.range(0, total).boxed().toList(), ids,
                    "seed=" + seed + ": every row exactly once, in order (no gap, no duplicate)");
        } finally {
            writer.stop = true;
            writer.thread.join(10_000);
        }
    }

    /**
     * The same cut and resume under a random mix of inserts, updates and deletes: the view a client keeps from what it
     * saw before the cut, the catch-up pages (soft-deleted rows included) and the live changes ends equal to a SELECT
     * of the table, and the resumed subscription's {@code _seq}s only grow.
     */
    @Test
    void aResumeUnderUpdatesAndDeletesEndsWithTheViewOfASelect() throws Exception {
        long seed = Long.getLong("resume.seed", System.nanoTime());
        System.out.println("LiveResumeConvergenceTest mixed seed=" + seed + " (repeat with -Dresume.seed=" + seed
                + ")");
        Random random = new Random(seed);
        int pageSize = 20 + random.nextInt(181);
        String sql = "SELECT id, content, _deleted FROM chat.messages";
        LiveQueryRegistry live = fx.engine().live();
        Recorder before = new Recorder();
        Subscription first = live.subscribe(ALICE, "c1", "m", sql, SubscribeOptions.defaults(), before);
        AtomicInteger ids = new AtomicInteger();
        AtomicInteger ticks = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> stop = new AtomicReference<>(false);
        Random writes = new Random(seed ^ 0x5DEECE66DL);
        Thread writer = new Thread(() -> {
            long next = System.nanoTime();
            try {
                while (!stop.get()) {
                    int from = ids.getAndAdd(ROWS_PER_TICK / 2);
                    fx.sql(ALICE, "INSERT INTO chat.messages (id, content) VALUES " + IntStream
                            .range(from, from + ROWS_PER_TICK / 2).mapToObj(i -> "(" + i + ", 'm" + i + "')")
                            .collect(Collectors.joining(", ")));
                    int tick = ticks.incrementAndGet();
                    int known = from + ROWS_PER_TICK / 2;
                    for (int k = 0; k < 2; k++) {
                        fx.sql(ALICE, "UPDATE chat.messages SET content = 'u" + tick + "' WHERE id = "
                                + writes.nextInt(known));
                    }
                    fx.sql(ALICE, "DELETE FROM chat.messages WHERE id = " + writes.nextInt(known));
                    next += TICK_NANOS;
                    LockSupport.parkNanos(next - System.nanoTime());
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "resume-test-mixed-writer");
        writer.start();
        try {
            int seenBeforeCut = 30 + random.nextInt(70);
            await(() -> before.changes.size() >= seenBeforeCut || failure.get() != null, 20_000,
                    () -> "the first " + seenBeforeCut + " changes [got=" + before.changes.size() + ", ticks="
                    + ticks.get() + "]");
            assertNull(failure.get(), () -> "the writer failed: " + failure.get());
            live.unsubscribe(first);
            Map<Integer, String> view = new java.util.TreeMap<>();
            List<LiveChange> seen = before.changes.subList(0, seenBeforeCut);
            seen.forEach(c -> apply(view, c));
            long lastSeen = seen.get(seen.size() - 1).seq();
            int atCut = ticks.get();
            await(() -> ticks.get() >= atCut + 20, 30_000, "20 ticks of writes while away");

            Recorder after = new Recorder();
            Subscription resumed = live.subscribe(ALICE, "c2", "m", sql, new SubscribeOptions(null, pageSize,
                    lastSeen), after);
            while (resumed.state() == Subscription.State.LOADING) {
                assertEquals(0, resumed.bufferedChanges(), "no change is held back between pages");
                live.nextBatch(resumed, null);
            }
            int atLive = ticks.get();
            await(() -> ticks.get() >= atLive + 5, 20_000, "5 ticks of writes after the catch-up");
            stop.set(true);
            writer.join(10_000);
            assertNull(failure.get(), () -> "the writer failed: " + failure.get());
            assertNull(after.lagging.get(), "never lagging");

            Map<Integer, String> select = new java.util.TreeMap<>();
            var rows = fx.one(ALICE, "SELECT id, content FROM chat.messages");
            assertFalse(rows.truncated(), "the whole table");
            for (Object[] row : rows.rows()) {
                select.put((Integer) row[0], (String) row[1]);
            }
            long maxSeq = (Long) fx.one(ALICE, "SELECT MAX(_seq) FROM chat.messages").rows().get(0)[0];
            await(() -> !after.changes.isEmpty() && after.changes.get(after.changes.size() - 1).seq() >= maxSeq,
                    20_000, "the last change arrives");
            List<Long> seqs = new ArrayList<>();
            for (InitialBatch b : after.batches) {
                for (Map<String, Object> row : b.rows()) {
                    seqs.add((Long) row.get("_seq"));
                    if (Boolean.TRUE.equals(row.get("_deleted"))) {
                        view.remove((Integer) row.get("id"));
                    } else {
                        view.put((Integer) row.get("id"), (String) row.get("content"));
                    }
                }
            }
            for (LiveChange c : after.changes) {
                seqs.add(c.seq());
                apply(view, c);
            }
            System.out.printf("mixed seed=%d pageSize=%d pages=%d changesAfter=%d rows=%d%n", seed, pageSize,
                    after.batches.size(), after.changes.size(), select.size());
            assertTrue(seqs.get(0) > lastSeen, "seed=" + seed + ": nothing at or below from is replayed");
            for (int i = 1; i < seqs.size(); i++) {
                assertTrue(seqs.get(i) > seqs.get(i - 1), "seed=" + seed + ": _seq order broken at " + i);
            }
            assertEquals(select, view, "seed=" + seed + ": the resumed view is the table");
        } finally {
            stop.set(true);
            writer.join(10_000);
        }
    }

    private static void apply(Map<Integer, String> view, LiveChange c) {
        switch (c.type()) {
            case INSERT, UPDATE -> {
                Map<String, Object> row = c.rows().get(0);
                view.put((Integer) row.get("id"), (String) row.get("content"));
            }
            case DELETE -> view.remove((Integer) c.oldValues().get(0).get("id"));
        }
    }
}
