package io.kalamdb.engine.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.EngineFixture;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.hot.HotPartitionReader;
import io.kalamdb.engine.hot.PartitionReader;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A subscription's initial data is paged by seeking: each page starts at the first {@code _seq} after the previous
 * page, so it reads its own rows (and one to learn there are more), not every row before it. Counted with a
 * {@link PartitionReader} that wraps the real one and counts the rows its cursors return.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveInitialPagingTest {
    private static final Session ALICE = new Session("alice", Role.USER);
    private static final int ROWS = 250;
    private static final int PAGE = 20;
    private EngineFixture fx;
    private final AtomicInteger rowsRead = new AtomicInteger();

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
        fx.sql(EngineFixture.ROOT, "CREATE NAMESPACE chat; CREATE TABLE chat.messages (id BIGINT PRIMARY KEY, "
                + "content TEXT) WITH (TYPE='USER')");
        for (int from = 0; from < ROWS; from += 50) {
            List<String> values = new ArrayList<>();
            for (int i = from; i < from + 50; i++) {
                values.add("(" + i + ", 'm" + i + "')");
            }
            fx.sql(ALICE, "INSERT INTO chat.messages (id, content) VALUES " + String.join(", ", values));
        }
        fx.engine().live().readers(snapshot -> new Counting(HotPartitionReader.over(snapshot), rowsRead));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void eachPageReadsOnlyItsOwnRows() {
        LiveQueryRegistryTest.Recorder r = new LiveQueryRegistryTest.Recorder();
        Subscription sub = fx.engine().live().subscribe(ALICE, "c1", "s", "SELECT id, content FROM chat.messages",
                new SubscribeOptions(null, PAGE, null), r);
        List<Integer> readsPerPage = new ArrayList<>();
        readsPerPage.add(rowsRead.getAndSet(0));
        while (r.batches().get(r.batches().size() - 1).hasMore()) {
            fx.engine().live().nextBatch(sub, null);
            readsPerPage.add(rowsRead.getAndSet(0));
        }
        List<Object> ids = new ArrayList<>();
        for (InitialBatch b : r.batches()) {
            b.rows().forEach(row -> ids.add(row.get("id")));
        }
        assertEquals(ROWS, ids.size(), "every row once");
        assertEquals((ROWS + PAGE - 1) / PAGE, readsPerPage.size(), readsPerPage.toString());
        for (int page = 0; page < readsPerPage.size(); page++) {
            assertTrue(readsPerPage.get(page) <= PAGE + 1, "page " + page + " read " + readsPerPage.get(page)
                    + " rows: " + readsPerPage);
        }
        assertEquals(ROWS, readsPerPage.stream().mapToInt(Integer::intValue).sum() - (readsPerPage.size() - 1),
                "each row is read once, plus one look-ahead per page but the last: " + readsPerPage);
        assertFalse(r.batches().get(r.batches().size() - 1).hasMore());
    }

    @Test
    void aResumeSeeksStraightToItsSeq() {
        LiveQueryRegistryTest.Recorder all = new LiveQueryRegistryTest.Recorder();
        fx.engine().live().subscribe(ALICE, "c1", "all", "SELECT id FROM chat.messages",
                new SubscribeOptions(null, 1000, null), all);
        InitialBatch whole = all.batches().get(0);
        assertEquals(ROWS, whole.rows().size());
        rowsRead.set(0);
        // the seq of the 240th row: a resume from there reads the last 10 rows only
        long seq240 = (Long) fx.one(ALICE, "SELECT _seq FROM chat.messages WHERE id = 239").rows().get(0)[0];
        LiveQueryRegistryTest.Recorder resumed = new LiveQueryRegistryTest.Recorder();
        fx.engine().live().subscribe(ALICE, "c1", "resume", "SELECT id FROM chat.messages",
                new SubscribeOptions(null, 1000, seq240), resumed);
        assertEquals(ROWS - 240, resumed.batches().get(0).rows().size());
        assertEquals(ROWS - 240, rowsRead.get(), "a resume reads from its seq on, not from the start");
    }

    /**
     * A resume reads each page from a snapshot of its own; when reading a page fails (a storage error, a timeout),
     * that snapshot must not stay pinned until the client pages again, and the next page still works.
     */
    @Test
    void aResumePageThatFailsReleasesItsSnapshot() {
        long seq = (Long) fx.one(ALICE, "SELECT _seq FROM chat.messages WHERE id = 9").rows().get(0)[0];
        LiveQueryRegistryTest.Recorder resumed = new LiveQueryRegistryTest.Recorder();
        Subscription sub = fx.engine().live().subscribe(ALICE, "c1", "resume", "SELECT id FROM chat.messages",
                new SubscribeOptions(null, PAGE, seq), resumed);
        assertTrue(resumed.batches().get(0).hasMore(), "a resume of " + (ROWS - 10) + " rows in pages of " + PAGE);
        fx.engine().live().readers(snapshot -> {
            throw new io.kalamdb.engine.error.KalamException(io.kalamdb.engine.error.KalamErrorCode.STORAGE_UNAVAILABLE,
                    "injected read failure");
        });
        assertThrows(io.kalamdb.engine.error.KalamException.class, () -> fx.engine().live().nextBatch(sub, null));
        assertFalse(sub.holdsSnapshot(), "the failed page's snapshot was released");
        fx.engine().live().readers(HotPartitionReader::over);
        while (resumed.batches().get(resumed.batches().size() - 1).hasMore()) {
            fx.engine().live().nextBatch(sub, null);
        }
        List<Object> ids = new ArrayList<>();
        for (InitialBatch b : resumed.batches()) {
            b.rows().forEach(row -> ids.add(row.get("id")));
        }
        assertEquals(ROWS - 10, ids.size(), "every row after the resume point once: " + ids);
        for (int i = 0; i < resumed.batches().size(); i++) {
            assertEquals(i, resumed.batches().get(i).batchNum(), "pages are numbered in order, the failed one "
                    + "taking no number");
        }
        assertEquals(10L, ((Number) ids.get(0)).longValue());
    }

    /** A reader that counts the rows its cursors return, around the real one. */
    private static final class Counting implements PartitionReader {
        private final PartitionReader delegate;
        private final AtomicInteger rows;

        Counting(PartitionReader delegate, AtomicInteger rows) {
            this.delegate = delegate;
            this.rows = rows;
        }

        @Override
        public byte[] get(byte[] partition, byte[] pk) {
            rows.incrementAndGet();
            return delegate.get(partition, pk);
        }

        @Override
        public RowCursor scanKeys(byte[] partition, byte[] fromPk, byte[] toPk, boolean reverse) {
            return counted(delegate.scanKeys(partition, fromPk, toPk, reverse));
        }

        @Override
        public RowCursor scanSeq(byte[] partition, long fromSeq, long toSeq, boolean reverse) {
            return counted(delegate.scanSeq(partition, fromSeq, toSeq, reverse));
        }

        @Override
        public RowCursor scanIndex(byte[] partition, int columnId, byte[] encodedValue, boolean reverse) {
            return counted(delegate.scanIndex(partition, columnId, encodedValue, reverse));
        }

        @Override
        public byte[] nextPartition(long tableId, byte[] afterPartition) {
            return delegate.nextPartition(tableId, afterPartition);
        }

        @Override
        public Snapshot snapshot() {
            throw new UnsupportedOperationException("not used by live queries");
        }

        private RowCursor counted(RowCursor c) {
            return new RowCursor() {
                @Override
                public boolean next() {
                    boolean more = c.next();
                    if (more) {
                        rows.incrementAndGet();
                    }
                    return more;
                }

                @Override
                public byte[] pk() {
                    return c.pk();
                }

                @Override
                public byte[] value() {
                    return c.value();
                }

                @Override
                public void close() {
                    c.close();
                }
            };
        }
    }
}
