package io.kalamdb.engine.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.EngineFixture;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.auth.Role;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13, "Live queries: bounded memory": a subscription whose initial data is still loading (the client never
 * asks for the next batch) holds back a bounded number of changes for a bounded time, then ends as lagging with a
 * {@code resume_from} after which a resumed subscription misses nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveLoadingBoundsTest {
    private static final Session ALICE = new Session("alice", Role.USER);
    private static final int MAX_BUFFERED = 200;
    private EngineFixture fx;

    /** Records initial batches, changes and the lagging verdict. */
    static final class Recorder implements LiveSink {
        final List<InitialBatch> batches = new CopyOnWriteArrayList<>();
        final List<LiveChange> changes = new CopyOnWriteArrayList<>();
        volatile Long resumeFrom;
        volatile String reason;
        volatile int maxBufferedSeen;

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
            this.reason = reason;
            this.resumeFrom = resumeFrom;
        }

        void awaitLagging(long timeoutMs) throws InterruptedException {
            long end = System.currentTimeMillis() + timeoutMs;
            while (resumeFrom == null && System.currentTimeMillis() < end) {
                Thread.sleep(5);
            }
        }
    }

    private void open(Map<String, String> config) {
        fx = new EngineFixture(config);
        fx.sql(EngineFixture.ROOT, "CREATE NAMESPACE chat; CREATE TABLE chat.messages (id INT PRIMARY KEY, "
                + "content TEXT) WITH (TYPE='USER')");
    }

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    private void insert(int from, int to) {
        fx.sql(ALICE, "INSERT INTO chat.messages (id, content) VALUES " + IntStream.range(from, to)
                .mapToObj(i -> "(" + i + ", 'm" + i + "')").collect(Collectors.joining(", ")));
    }

    @Test
    void aSubscriberThatNeverPagesUnderAWriteFloodEndsLaggingWithBoundedBufferAndResumesWithoutAGap()
            throws Exception {
        open(Map.of("live.max_initial_buffered_changes", Integer.toString(MAX_BUFFERED)));
        insert(0, 30);
        Recorder r = new Recorder();
        Subscription sub = fx.engine().live().subscribe(ALICE, "c1", "s", "SELECT id FROM chat.messages",
                new SubscribeOptions(null, 10, null), r);
        assertEquals(Subscription.State.LOADING, sub.state());
        assertTrue(sub.holdsSnapshot());
        long firstPageLast = r.batches.get(0).lastSeqId();

        int written = 30;
        while (r.resumeFrom == null && written < 30 + 20 * MAX_BUFFERED) {
            insert(written, written + 50);
            written += 50;
            int buffered = sub.bufferedChanges();
            r.maxBufferedSeen = Math.max(r.maxBufferedSeen, buffered);
            assertTrue(buffered <= MAX_BUFFERED, "the buffer never passes its bound: " + buffered);
        }
        r.awaitLagging(10_000);
        assertNotNull(r.resumeFrom, "the loading subscriber was never ended after " + written + " rows");
        System.out.printf("written=%d maxBufferedSeen=%d resumeFrom=%d reason=%s%n", written, r.maxBufferedSeen,
                r.resumeFrom, r.reason);
        assertEquals(firstPageLast, r.resumeFrom.longValue(), "resume after the last initial row handed out");
        assertTrue(r.reason.contains(Integer.toString(MAX_BUFFERED)), r.reason);
        assertEquals(Subscription.State.CLOSED, sub.state());
        assertEquals(0, sub.bufferedChanges(), "the held-back changes are released");
        assertFalse(sub.holdsSnapshot(), "the snapshot is released");
        assertNull(fx.engine().live().find(sub.liveId()));
        assertTrue(r.changes.isEmpty(), "no change was sent before the initial data");

        insert(written, written + 100);
        written += 100;
        assertEquals(0, sub.bufferedChanges(), "an ended subscription holds nothing more");

        // resume from resume_from, paging to the end: with the first page, every row exactly once
        Recorder resumed = new Recorder();
        Subscription again = fx.engine().live().subscribe(ALICE, "c1", "s", "SELECT id FROM chat.messages",
                new SubscribeOptions(null, 100, r.resumeFrom), resumed);
        while (again.state() == Subscription.State.LOADING) {
            fx.engine().live().nextBatch(again, null);
        }
        List<Integer> ids = new ArrayList<>();
        r.batches.get(0).rows().forEach(row -> ids.add((Integer) row.get("id")));
        resumed.batches.forEach(b -> b.rows().forEach(row -> ids.add((Integer) row.get("id"))));
        Set<Integer> distinct = new HashSet<>(ids);
        assertEquals(ids.size(), distinct.size(), "no row twice");
        assertEquals(IntStream.range(0, written).boxed().collect(Collectors.toSet()), distinct, "no row missed");
        fx.engine().live().unsubscribe(again);
    }

    @Test
    void aPagingSubscriberWithinTheBoundGoesLiveWithEveryChange() throws Exception {
        open(Map.of("live.max_initial_buffered_changes", Integer.toString(MAX_BUFFERED)));
        insert(0, 30);
        Recorder r = new Recorder();
        Subscription sub = fx.engine().live().subscribe(ALICE, "c1", "s", "SELECT id FROM chat.messages",
                new SubscribeOptions(null, 10, null), r);
        insert(30, 30 + MAX_BUFFERED / 2);
        while (sub.state() == Subscription.State.LOADING) {
            fx.engine().live().nextBatch(sub, null);
        }
        insert(30 + MAX_BUFFERED / 2, 30 + MAX_BUFFERED);
        long end = System.currentTimeMillis() + 10_000;
        while (r.changes.size() < MAX_BUFFERED && System.currentTimeMillis() < end) {
            Thread.sleep(5);
        }
        assertNull(r.resumeFrom, "not lagging: " + r.reason);
        assertEquals(MAX_BUFFERED, r.changes.size());
        assertEquals(30, r.batches.stream().mapToInt(b -> b.rows().size()).sum());
    }

    @Test
    void aSnapshotPinnedTooLongWhileChangesArriveEndsTheSubscription() throws Exception {
        open(Map.of("live.max_snapshot_age_ms", "200"));
        insert(0, 30);
        Recorder r = new Recorder();
        long start = System.nanoTime();
        Subscription sub = fx.engine().live().subscribe(ALICE, "c1", "s", "SELECT id FROM chat.messages",
                new SubscribeOptions(null, 10, null), r);
        int written = 30;
        while (r.resumeFrom == null && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
            insert(written, written + 1); // a trickle, far below the buffer bound
            written++;
            r.awaitLagging(20);
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertNotNull(r.resumeFrom, "a snapshot pinned for " + elapsedMs + " ms was never released");
        assertTrue(elapsedMs >= 200, "not before its age: " + elapsedMs);
        assertTrue(r.reason.contains("200 ms"), r.reason);
        assertFalse(sub.holdsSnapshot());
        assertEquals(r.batches.get(0).lastSeqId().longValue(), r.resumeFrom.longValue());
    }
}
