package io.kalamdb.engine.hot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hot store never lies about its data: a new directory is created, an existing one is opened strictly, a
 * damaged one is refused with its files left byte for byte as they were, and a corrupted block ends a read with
 * an error instead of a short answer.
 */
@Timeout(60)
class RocksHotStoreTest {
    private static final byte[] PREFIX = "row/".getBytes(StandardCharsets.UTF_8);
    private static final int ROWS = 5000;

    @TempDir
    Path dir;

    @Test
    void aNewDirectoryIsCreatedMarkedAndReopened() {
        try (RocksHotStore store = RocksHotStore.open(dir)) {
            put(store, "row/a", "1");
        }
        assertTrue(Files.exists(dir.resolve(DataDirectory.MARKER)), "marker written");
        assertFalse(Files.exists(dir.resolve("rocksdb/LOG")), "RocksDB's info log goes to slf4j, not a file");
        try (RocksHotStore store = RocksHotStore.open(dir)) {
            assertArrayEquals(bytes("1"), store.get(Space.ROWS, bytes("row/a")));
        }
    }

    /**
     * Closing the store while a reader is inside it must not free the native handles under the reader (that crashed
     * the JVM in RocksDB.iterator): the close waits, the reader's next step fails with SHUTTING_DOWN, new reads are
     * refused the same way, and the close completes once the reader has let go.
     */
    @Test
    @Timeout(60)
    void closingWhileACursorIsOpenWaitsForItAndStopsItsReader() throws Exception {
        RocksHotStore store = RocksHotStore.open(dir);
        put(store, "row/a", "1");
        put(store, "row/b", "2");
        HotStore.Cursor cursor = store.scan(Space.ROWS, bytes("row/"), false);
        assertTrue(cursor.next(), "the first row");
        HotStore.Snapshot snapshot = store.snapshot();
        java.util.concurrent.CompletableFuture<Void> closing = java.util.concurrent.CompletableFuture.runAsync(
                store::close);
        KalamException refused = null;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (refused == null && System.nanoTime() < deadline) {
            try {
                store.get(Space.ROWS, bytes("row/a")); // answers until the close begins
                Thread.onSpinWait();
            } catch (KalamException e) {
                refused = e;
            }
        }
        assertTrue(refused != null, "reads are refused once the store began to close");
        assertEquals(KalamErrorCode.SHUTTING_DOWN, refused.code());
        KalamException stopped = assertThrows(KalamException.class, cursor::next, "the open cursor's next step");
        assertEquals(KalamErrorCode.SHUTTING_DOWN, stopped.code());
        assertThrows(KalamException.class, () -> store.scan(Space.ROWS, bytes("row/"), false));
        assertFalse(closing.isDone(), "the close waits while a cursor and a snapshot are still open");
        cursor.close();
        assertFalse(closing.isDone(), "the close waits for the snapshot too");
        snapshot.close();
        closing.get(30, java.util.concurrent.TimeUnit.SECONDS);
        try (RocksHotStore reopened = RocksHotStore.open(dir)) {
            assertArrayEquals(bytes("2"), reopened.get(Space.ROWS, bytes("row/b")), "closed cleanly: data intact");
        }
    }

    @Test
    void aMissingCurrentFileIsRefusedAndNothingChanges() throws Exception {
        fill();
        Files.delete(dir.resolve("rocksdb/CURRENT"));
        KalamException refused = assertRefusedUntouched();
        assertTrue(refused.getMessage().contains("CURRENT"), refused.getMessage());
    }

    /**
     * RocksDB reads a MANIFEST cut at a record boundary as an older, consistent version and, opened for writing,
     * deletes the newer table files as obsolete. Cut anywhere, the store must either refuse (files untouched) or
     * open with every row.
     */
    @Test
    void aTruncatedManifestIsRefusedUntouchedOrOpensWithEveryRowWhereverItIsCut() throws Exception {
        fill();
        Path pristine = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-pristine"));
        copyTree(dir, pristine);
        int refusals = 0;
        try {
            for (int percent = 10; percent <= 90; percent += 10) {
                deleteTree(dir);
                copyTree(pristine, dir);
                Path manifest = manifest();
                byte[] content = Files.readAllBytes(manifest);
                Files.write(manifest, Arrays.copyOf(content, content.length * percent / 100));
                Map<String, String> before = FileHashes.of(dir);
                try (RocksHotStore store = RocksHotStore.open(dir)) {
                    assertEquals(ROWS, count(store), "opened with less data [cut at " + percent + "%]");
                    System.out.println("MANIFEST cut at " + percent + "%: opened with every row");
                } catch (KalamException refused) {
                    System.out.println("MANIFEST cut at " + percent + "%: refused: " + refused.getMessage());
                    refusals++;
                    assertEquals(before, FileHashes.of(dir), "the refused directory changed [cut at " + percent + "%]");
                    assertTrue(refused.getMessage().contains(dir.resolve("rocksdb").toString()), refused.getMessage());
                    assertEquals(KalamErrorCode.STORAGE_CORRUPTION, refused.code(), refused.getMessage());
                }
            }
        } finally {
            deleteTree(pristine);
        }
        assertTrue(refusals > 0, "a MANIFEST cut in half loses the last flush and must be refused");
    }

    @Test
    void aLostHotStoreUnderAMarkedDirectoryIsRefusedNotRecreated() throws Exception {
        fill();
        deleteTree(dir.resolve("rocksdb"));
        KalamException refused = assertRefusedUntouched();
        assertEquals(KalamErrorCode.STORAGE_CORRUPTION, refused.code());
        assertTrue(refused.getMessage().contains("missing"), refused.getMessage());
        assertFalse(Files.exists(dir.resolve("rocksdb")), "no fresh database was created");
    }

    @Test
    void aFlippedByteInADataBlockFailsTheScanAndTheGetInsteadOfAnsweringShort() throws Exception {
        fill();
        Path sst = largestSst();
        byte[] content = Files.readAllBytes(sst);
        int at = content.length / 3; // well inside the data blocks: index and filter blocks sit at the end
        for (int i = at; i < at + 8; i++) {
            content[i] ^= (byte) 0xff;
        }
        Files.write(sst, content);

        try (RocksHotStore store = RocksHotStore.open(dir)) {
            KalamException scan = assertThrows(KalamException.class, () -> {
                int seen = 0;
                try (HotStore.Cursor c = store.scan(Space.ROWS, PREFIX, false)) {
                    while (c.next()) {
                        seen++;
                    }
                }
                throw new AssertionError("the scan ended normally after " + seen + " of " + ROWS + " rows");
            });
            assertEquals(KalamErrorCode.STORAGE_CORRUPTION, scan.code(), scan.getMessage());
            assertFalse(scan.getMessage().contains(sst.toString()), "file paths stay in the server log");

            KalamException reverse = assertThrows(KalamException.class, () -> {
                try (HotStore.Cursor c = store.scan(Space.ROWS, PREFIX, true)) {
                    while (c.next()) {
                        assertTrue(c.key().length > 0);
                    }
                }
            });
            assertEquals(KalamErrorCode.STORAGE_CORRUPTION, reverse.code());

            int failedGets = 0;
            for (int i = 0; i < ROWS; i++) {
                try {
                    assertArrayEquals(value(i), store.get(Space.ROWS, key(i)));
                } catch (KalamException e) {
                    assertEquals(KalamErrorCode.STORAGE_CORRUPTION, e.code());
                    failedGets++;
                }
            }
            assertTrue(failedGets > 0, "some point reads hit the damaged block");
            assertTrue(failedGets < ROWS, "reads of undamaged blocks still answer");
        }
    }

    /**
     * RocksDB's default WAL recovery stops at a damaged record and drops every later write without an error
     * (measured: half of 3000 synced rows gone for one flipped byte). A damaged record before the end refuses.
     */
    @Test
    void aDamagedRecordInsideTheWriteAheadLogIsRefusedNotSkipped() throws Exception {
        Path wal = crashImageWithRowsOnlyInTheWal();
        byte[] content = Files.readAllBytes(wal);
        content[content.length / 2] ^= 0x5a;
        Files.write(wal, content);
        KalamException refused = assertRefusedUntouched();
        assertEquals(KalamErrorCode.STORAGE_CORRUPTION, refused.code(), refused.getMessage());
    }

    /** A torn last record is what a crash in the middle of a write leaves: that write was never acknowledged. */
    @Test
    void aTornLastRecordOfTheWriteAheadLogIsDroppedAsAfterACrash() throws Exception {
        Path wal = crashImageWithRowsOnlyInTheWal();
        byte[] content = Files.readAllBytes(wal);
        Files.write(wal, Arrays.copyOf(content, content.length - 7));
        try (RocksHotStore store = RocksHotStore.open(dir)) {
            assertEquals(ROWS - 1, count(store), "every row but the torn last one");
        }
    }

    /**
     * Replaces {@link #dir} by a copy taken while the store was open, its rows synced to the write-ahead log and
     * not flushed: what a crash leaves. Returns the log file.
     */
    private Path crashImageWithRowsOnlyInTheWal() throws IOException {
        Path live = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-live"));
        try (RocksHotStore store = RocksHotStore.open(live)) {
            for (int i = 0; i < ROWS; i++) {
                try (HotStore.Batch batch = store.newBatch()) {
                    batch.put(Space.ROWS, key(i), value(i));
                    store.write(batch);
                }
            }
            store.sync();
            copyTree(live, dir);
        }
        deleteTree(live);
        try (Stream<Path> files = Files.list(dir.resolve("rocksdb"))) {
            return files.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow();
        }
    }

    @Test
    void aDirectoryInUseIsRefusedAsSuchNotAsDamaged() {
        try (RocksHotStore store = RocksHotStore.open(dir)) {
            put(store, "row/a", "1");
            KalamException inUse = assertThrows(KalamException.class, () -> RocksHotStore.open(dir).close());
            assertTrue(inUse.getMessage().startsWith("the database is in use by another process"),
                    inUse.getMessage());
            assertArrayEquals(bytes("1"), store.get(Space.ROWS, bytes("row/a")), "the open store is unaffected");
        }
    }

    @Test
    void aFencedStoreRefusesEveryReadAndWrite() {
        try (RocksHotStore store = RocksHotStore.open(dir)) {
            put(store, "row/a", "1");
            store.fence(new KalamException(KalamErrorCode.STORAGE_UNAVAILABLE, "stopped"));
            for (Runnable op : new Runnable[] {
                () -> store.get(Space.ROWS, bytes("row/a")),
                () -> store.scan(Space.ROWS, PREFIX, false).close(),
                () -> store.scanRange(Space.ROWS, PREFIX, PREFIX, false).close(),
                () -> store.snapshot().close(),
                () -> store.newBatch().close()}) {
                KalamException e = assertThrows(KalamException.class, op::run);
                assertEquals(KalamErrorCode.STORAGE_UNAVAILABLE, e.code());
                assertEquals("stopped", e.getMessage());
            }
        }
    }

    /** Opening must fail, and every file of the data directory must be exactly as before. */
    private KalamException assertRefusedUntouched() {
        Map<String, String> before = FileHashes.of(dir);
        KalamException refused = assertThrows(KalamException.class, () -> RocksHotStore.open(dir).close());
        assertEquals(before, FileHashes.of(dir), "the refused directory changed");
        assertTrue(refused.getMessage().contains(dir.resolve("rocksdb").toString()), refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"), "one line");
        return refused;
    }

    /** A store with {@value #ROWS} rows, flushed to SST files by a clean close. */
    private void fill() {
        try (RocksHotStore store = RocksHotStore.open(dir)) {
            try (HotStore.Batch batch = store.newBatch()) {
                for (int i = 0; i < ROWS; i++) {
                    batch.put(Space.ROWS, key(i), value(i));
                }
                store.write(batch);
            }
            store.sync();
        }
    }

    private Path manifest() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("rocksdb"))) {
            return files.filter(p -> p.getFileName().toString().startsWith("MANIFEST-")).findFirst().orElseThrow();
        }
    }

    private static int count(HotStore store) {
        int rows = 0;
        try (HotStore.Cursor c = store.scan(Space.ROWS, PREFIX, false)) {
            while (c.next()) {
                rows++;
            }
        }
        return rows;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private Path largestSst() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("rocksdb"))) {
            return files.filter(p -> p.toString().endsWith(".sst"))
                    .max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow();
        }
    }

    private static byte[] key(int i) {
        return bytes(String.format(java.util.Locale.ROOT, "row/%08d", i));
    }

    private static byte[] value(int i) {
        return bytes(("value " + i + " " + Integer.toHexString(i * 0x9E3779B1) + " ").repeat(5));
    }

    private static void put(RocksHotStore store, String key, String value) {
        try (HotStore.Batch batch = store.newBatch()) {
            batch.put(Space.ROWS, bytes(key), bytes(value));
            store.write(batch);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
