package io.kalamdb.engine.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.EngineConfig;
import io.kalamdb.engine.KalamEngine;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.hot.KeyCodec;
import io.kalamdb.engine.hot.RocksHotStore;
import io.kalamdb.engine.hot.RowCodec;
import io.kalamdb.engine.hot.Space;
import io.kalamdb.engine.hot.SyncFaultStore;
import io.kalamdb.engine.util.SnowflakeGenerator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write log's fail-stop: once syncing the write-ahead log fails, nothing of the unsynced group is
 * acknowledged or published, no reader sees its rows, and every later write fails. The fsync failure is injected
 * by a fake store that wraps the real RocksDB store and fails {@link HotStore#sync()} on demand.
 */
@Timeout(60)
class LocalWriteLogTest {
    private static final Session ROOT = new Session("root", Role.SYSTEM);

    @TempDir
    Path dir;

    private Catalog catalog;
    private TableDef table;

    /** A real engine creates the table (and root); the test then drives the write log on the same store. */
    @BeforeEach
    void createTable() {
        try (KalamEngine engine = KalamEngine.open(config())) {
            engine.execute(ROOT, "CREATE NAMESPACE app; CREATE TABLE app.t (id BIGINT PRIMARY KEY, v TEXT) "
                    + "WITH (TYPE='SHARED')", List.of(), "default");
            catalog = engine.catalog();
            table = catalog.table("app", "t");
        }
    }

    @Test
    void aFailedSyncFailsItsGroupPublishesNothingHidesItsRowsAndStopsEveryLaterWrite() throws Exception {
        List<ChangeEvent> published = new CopyOnWriteArrayList<>();
        SyncFaultStore store = new SyncFaultStore(RocksHotStore.open(dir));
        LocalWriteLog log = newLog(store, published);
        try {
            ApplyResult first = log.append(insert(1)).get(10, TimeUnit.SECONDS);
            assertEquals(1, first.inserted());
            assertEquals(1, published.size());
            assertTrue(log.failure().isEmpty());

            store.failSyncsFrom(store.syncs() + 1);
            assertStopped(log.append(insert(2)));
            assertEquals(1, published.size(), "no change event for the unsynced write");
            assertEquals(KalamErrorCode.STORAGE_UNAVAILABLE, log.failure().orElseThrow().code());

            int syncsWhenStopped = store.syncs();
            assertStopped(log.append(insert(3)));
            assertEquals(syncsWhenStopped, store.syncs(), "a stopped log writes nothing more");
            assertEquals(1, published.size());

            // the applied but unsynced row 2 is shown to no one, nor is anything else
            for (long id = 1; id <= 3; id++) {
                long key = id;
                KalamException read = assertThrows(KalamException.class, () -> store.get(Space.ROWS, rowKey(key)));
                assertEquals(KalamErrorCode.STORAGE_UNAVAILABLE, read.code());
            }
            assertEquals(KalamErrorCode.STORAGE_UNAVAILABLE,
                    assertThrows(KalamException.class, () -> store.scan(Space.ROWS, new byte[0], false)).code());
        } finally {
            log.close();
            store.close();
        }
        // after a restart: what was acknowledged is there, what was refused before applying is not
        try (RocksHotStore reopened = RocksHotStore.open(dir)) {
            assertNotNull(reopened.get(Space.ROWS, rowKey(1)), "acknowledged row 1 survives");
            assertNull(reopened.get(Space.ROWS, rowKey(3)), "row 3 was refused, never applied");
        }
    }

    /**
     * Many writers race with a sync failing at a random point: every future completes, the events published are
     * exactly those of the acknowledged writes, every other write fails with {@code STORAGE_UNAVAILABLE}, and
     * every acknowledged row survives a restart.
     */
    @Test
    void underConcurrentWritesOnlyAcknowledgedWritesArePublishedAndSurvive() throws Exception {
        long seed = System.nanoTime();
        System.out.println("LocalWriteLogTest seed=" + seed);
        Random random = new Random(seed);
        List<ChangeEvent> published = new CopyOnWriteArrayList<>();
        SyncFaultStore store = new SyncFaultStore(RocksHotStore.open(dir));
        store.failSyncsFrom(store.syncs() + 1 + random.nextInt(40));
        LocalWriteLog log = newLog(store, published);
        List<CompletableFuture<ApplyResult>> futures = new CopyOnWriteArrayList<>();
        AtomicInteger nextId = new AtomicInteger();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            writers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 100; i++) {
                    CompletableFuture<ApplyResult> future = log.append(insert(nextId.incrementAndGet()));
                    futures.add(future);
                    if (i % 2 == 0) {
                        future.handle((result, failure) -> null).join(); // small groups: many syncs
                    }
                }
            }));
        }
        for (Thread writer : writers) {
            writer.join();
        }
        Set<Long> acknowledgedSeqs = new HashSet<>();
        List<Long> acknowledgedIds = new ArrayList<>();
        int refused = 0;
        for (CompletableFuture<ApplyResult> future : futures) {
            try {
                ApplyResult r = future.get(10, TimeUnit.SECONDS);
                for (ChangeEvent e : r.events()) {
                    acknowledgedSeqs.add(e.seq());
                    acknowledgedIds.add((Long) e.newRow().values()[table.primaryKeyIndex()]);
                }
            } catch (ExecutionException e) {
                KalamException k = assertInstanceOf(KalamException.class, e.getCause());
                assertEquals(KalamErrorCode.STORAGE_UNAVAILABLE, k.code(), "seed=" + seed);
                refused++;
            }
        }
        assertTrue(refused > 0, "the injected failure stopped the log [seed=" + seed + "]");
        Set<Long> publishedSeqs = new HashSet<>();
        for (ChangeEvent e : published) {
            publishedSeqs.add(e.seq());
        }
        assertEquals(acknowledgedSeqs, publishedSeqs, "published = acknowledged [seed=" + seed + "]");
        log.close();
        store.close();
        try (RocksHotStore reopened = RocksHotStore.open(dir)) {
            for (long id : acknowledgedIds) {
                assertNotNull(reopened.get(Space.ROWS, rowKey(id)), "acknowledged row " + id + " [seed=" + seed + "]");
            }
        }
    }

    @Test
    void aHealthyLogReportsNoFailure() throws Exception {
        List<ChangeEvent> published = new CopyOnWriteArrayList<>();
        try (SyncFaultStore store = new SyncFaultStore(RocksHotStore.open(dir))) {
            LocalWriteLog log = newLog(store, published);
            try {
                log.append(insert(7)).get(10, TimeUnit.SECONDS);
                assertFalse(log.failure().isPresent());
                assertNotNull(store.get(Space.ROWS, rowKey(7)));
            } finally {
                log.close();
            }
        }
    }

    /**
     * The queue is bounded: while the writer is held (its change listener blocks), commands up to the bound wait
     * and the next is refused at once with {@code OVERLOADED}; once the writer goes on, every waiting command is
     * applied and a rejected command still consumes its log index.
     */
    @Test
    void aFullQueueRefusesWritesWithOverloadedAndAFailedCommandStillConsumesItsIndex() throws Exception {
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (RocksHotStore store = RocksHotStore.open(dir)) {
            Applier applier = new Applier(store, catalog);
            LocalWriteLog log = new LocalWriteLog(store, applier, new SnowflakeGenerator(1), true,
                    new CommitPipeline(events -> {
                        entered.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }, topics -> { }), 2);
            try {
                long before = applier.appliedIndex();
                CompletableFuture<ApplyResult> held = log.append(insert(1));
                assertTrue(entered.await(10, TimeUnit.SECONDS), "the writer publishes the first write");
                CompletableFuture<ApplyResult> duplicate = log.append(insert(1));
                CompletableFuture<ApplyResult> second = log.append(insert(2));
                CompletableFuture<ApplyResult> refused = log.append(insert(3));
                ExecutionException e = assertThrows(ExecutionException.class, () -> refused.get(1, TimeUnit.SECONDS));
                KalamException k = assertInstanceOf(KalamException.class, e.getCause());
                assertEquals(KalamErrorCode.OVERLOADED, k.code(), k.getMessage());
                release.countDown();
                assertEquals(1, held.get(10, TimeUnit.SECONDS).inserted());
                ExecutionException pk = assertThrows(ExecutionException.class,
                        () -> duplicate.get(10, TimeUnit.SECONDS));
                assertTrue(pk.getCause().getMessage().contains("Primary key violation"), pk.getCause().getMessage());
                assertEquals(1, second.get(10, TimeUnit.SECONDS).inserted());
                assertNull(store.get(Space.ROWS, rowKey(3)), "the refused write was never applied");
                assertEquals(before + 3, applier.appliedIndex(), "three entries, one of them rejected");
            } finally {
                release.countDown();
                log.close();
            }
        }
    }

    private LocalWriteLog newLog(HotStore store, List<ChangeEvent> published) {
        return new LocalWriteLog(store, new Applier(store, catalog), new SnowflakeGenerator(1), true,
                published::addAll, topics -> { });
    }

    private static void assertStopped(CompletableFuture<ApplyResult> future) throws Exception {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        KalamException cause = assertInstanceOf(KalamException.class, failed.getCause());
        assertEquals(KalamErrorCode.STORAGE_UNAVAILABLE, cause.code(), cause.getMessage());
    }

    private Command insert(long id) {
        Object[] values = {id, "value " + id};
        return new Command.Rows(List.of(new RowOp(RowOp.Kind.INSERT, table.id(), "", pk(id),
                RowCodec.encode(table.columns(), values, 0, false), null)));
    }

    private byte[] rowKey(long id) {
        return KeyCodec.rowKey(KeyCodec.partitionPrefix(table.id(), ""), pk(id));
    }

    private static byte[] pk(long id) {
        return KeyCodec.encodePk(KalamType.BIGINT, id);
    }

    private EngineConfig config() {
        return EngineConfig.from(Map.of("storage.data_path", dir.toString(), "auth.bcrypt_cost", "4",
                "auth.root_password", "RootPass123!"));
    }
}
