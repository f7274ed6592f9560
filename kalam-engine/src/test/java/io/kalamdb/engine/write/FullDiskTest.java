package io.kalamdb.engine.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.kalamdb.engine.hot.ForwardingHotStore;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.hot.KeyCodec;
import io.kalamdb.engine.hot.RocksHotStore;
import io.kalamdb.engine.hot.RowCodec;
import io.kalamdb.engine.hot.Space;
import io.kalamdb.engine.util.SnowflakeGenerator;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk is recoverable (issue 13): writes fail with the retryable {@code STORAGE_FULL}, reads go on, nothing
 * acknowledged is lost, and writes resume without a restart once space returns. The disk's free space is told to
 * the real RocksDB store by the test; the server-level test with a real full filesystem is {@code FullDiskIT}.
 */
@Timeout(60)
class FullDiskTest {
    private static final Session ROOT = new Session("root", Role.SYSTEM);
    private static final long FLOOR = 100L * 1024 * 1024;

    @TempDir
    Path dir;

    private Catalog catalog;
    private TableDef table;

    @BeforeEach
    void createTable() {
        try (KalamEngine engine = KalamEngine.open(EngineConfig.from(Map.of("storage.data_path", dir.toString(),
                "auth.bcrypt_cost", "4", "auth.root_password", "RootPass123!")))) {
            engine.execute(ROOT, "CREATE NAMESPACE app; CREATE TABLE app.t (id BIGINT PRIMARY KEY, v TEXT) "
                    + "WITH (TYPE='SHARED')", List.of(), "default");
            catalog = engine.catalog();
            table = catalog.table("app", "t");
        }
    }

    @Test
    void belowTheFloorWritesFailRetryablyReadsGoOnAndWritesResumeWhenSpaceReturns() throws Exception {
        AtomicLong free = new AtomicLong(10 * FLOOR);
        List<ChangeEvent> published = new CopyOnWriteArrayList<>();
        RocksHotStore store = RocksHotStore.open(dir, FLOOR, free::get);
        LocalWriteLog log = newLog(store, published);
        try {
            assertEquals(1, log.append(insert(1)).get(10, TimeUnit.SECONDS).inserted());
            assertTrue(store.diskFull().isEmpty());

            free.set(FLOOR - 1);
            KalamException full = assertFull(log.append(insert(2)));
            assertTrue(full.code().isRetriable(), "STORAGE_FULL is retryable");
            assertTrue(full.getMessage().contains("storage.min_free_bytes"), full.getMessage());
            assertTrue(full.getMessage().contains("free_bytes=" + (FLOOR - 1)), full.getMessage());
            assertTrue(log.failure().isEmpty(), "a full disk is no fail-stop");
            assertEquals(KalamErrorCode.STORAGE_FULL, store.diskFull().orElseThrow().code());
            assertNotNull(store.get(Space.ROWS, rowKey(1)), "reads go on");
            assertNull(store.get(Space.ROWS, rowKey(2)), "the refused write was not applied");
            assertEquals(1, published.size(), "nothing published for the refused write");

            free.set(FLOOR);
            assertTrue(store.diskFull().isEmpty(), "space is back");
            assertEquals(1, log.append(insert(2)).get(10, TimeUnit.SECONDS).inserted(), "the retry succeeds");
            assertEquals(1, log.append(insert(3)).get(10, TimeUnit.SECONDS).inserted());
            assertEquals(3, published.size());
        } finally {
            log.close();
            store.close();
        }
        try (RocksHotStore reopened = RocksHotStore.open(dir)) {
            for (long id = 1; id <= 3; id++) {
                assertNotNull(reopened.get(Space.ROWS, rowKey(id)), "acknowledged row " + id + " survives");
            }
        }
    }

    /**
     * When RocksDB itself is out of space the store refuses the sync without attempting it: the write log fails the
     * group with {@code STORAGE_FULL}, does not stop, and accepts writes again once the store has space.
     */
    @Test
    void aSyncRefusedForAFullDiskFailsItsGroupButDoesNotStopTheLog() throws Exception {
        List<ChangeEvent> published = new CopyOnWriteArrayList<>();
        FullSyncStore store = new FullSyncStore(RocksHotStore.open(dir));
        LocalWriteLog log = newLog(store, published);
        try {
            assertEquals(1, log.append(insert(1)).get(10, TimeUnit.SECONDS).inserted());
            store.full.set(true);
            KalamException full = assertFull(log.append(insert(2)));
            assertTrue(full.getMessage().contains("not acknowledged"), full.getMessage());
            assertTrue(log.failure().isEmpty(), "no fail-stop");
            assertEquals(1, published.size(), "nothing published for the unsynced group");
            assertNotNull(store.get(Space.ROWS, rowKey(1)), "reads go on, the store is not fenced");

            store.full.set(false);
            assertEquals(1, log.append(insert(3)).get(10, TimeUnit.SECONDS).inserted());
            assertEquals(2, published.size());
        } finally {
            log.close();
            store.close();
        }
        try (RocksHotStore reopened = RocksHotStore.open(dir)) {
            assertNotNull(reopened.get(Space.ROWS, rowKey(1)));
            assertNotNull(reopened.get(Space.ROWS, rowKey(3)));
        }
    }

    private static KalamException assertFull(CompletableFuture<ApplyResult> future) {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        KalamException cause = assertInstanceOf(KalamException.class, failed.getCause());
        assertEquals(KalamErrorCode.STORAGE_FULL, cause.code(), cause.getMessage());
        return cause;
    }

    private LocalWriteLog newLog(HotStore store, List<ChangeEvent> published) {
        return new LocalWriteLog(store, new Applier(store, catalog), new SnowflakeGenerator(1), true,
                published::addAll, topics -> { });
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

    /** A fake: the real store, except that while {@link #full} is set its sync is refused as a full disk's is. */
    private static final class FullSyncStore extends ForwardingHotStore {
        final AtomicBoolean full = new AtomicBoolean();

        FullSyncStore(HotStore delegate) {
            super(delegate);
        }

        @Override
        public void sync() {
            if (full.get()) {
                throw new KalamException(KalamErrorCode.STORAGE_FULL, "disk full: injected");
            }
            super.sync();
        }

        @Override
        public Optional<KalamException> diskFull() {
            return full.get() ? Optional.of(new KalamException(KalamErrorCode.STORAGE_FULL, "injected"))
                    : Optional.empty();
        }
    }
}
