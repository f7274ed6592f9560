package io.kalamdb.engine.hot;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.SstFileManager;
import org.rocksdb.Status;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hot store on RocksDB: one column family per {@link Space}, writes through the write-ahead log.
 *
 * <p>A full disk is recoverable (ADR 0014): writes are refused with {@code STORAGE_FULL} while the data directory's
 * disk has less than {@code minFreeBytes} free, before RocksDB runs out; if RocksDB still hits "no space" (another
 * process filled the disk), it is left alone until its own recovery (driven by its {@link SstFileManager}, which
 * polls for space) completes, because any write or WAL sync meanwhile turns the error into one that needs a
 * restart. Reads go on throughout.
 */
public final class RocksHotStore implements HotStore {
    private static final Logger LOG = LoggerFactory.getLogger(RocksHotStore.class);
    /**
     * A torn last record of the write-ahead log (a crash in the middle of a write, never acknowledged) is dropped;
     * a damaged record before the end fails the open. RocksDB's default (point in time) would instead stop the
     * replay at the damage and silently drop every later, acknowledged write.
     */
    static final WALRecoveryMode WAL_RECOVERY = WALRecoveryMode.TolerateCorruptedTailRecords;
    /** The end of every refusal of a damaged directory: what was done to it (nothing) and what to do. */
    static final String LEFT_UNTOUCHED = "Its files were left untouched: restore the directory from a backup, or "
            + "repair a copy of it offline.";
    /** How long {@link #close} waits for the statements still reading to stop (they fail at their next step). */
    static final long CLOSE_WAIT_SECONDS = 20;
    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");

    static {
        RocksDB.loadLibrary();
    }

    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final LRUCache blockCache;
    private final List<ColumnFamilyHandle> handles;
    private final Map<Space, ColumnFamilyHandle> bySpace = new EnumMap<>(Space.class);
    private final WriteOptions writeOptions = new WriteOptions();
    /** Block checksums are verified on every read (RocksDB's default, stated here because we rely on it). */
    private final ReadOptions readOptions = new ReadOptions().setVerifyChecksums(true);
    /** Every use of a native handle is inside this guard, so that {@link #close} never frees one in use. */
    private final NativeUseGuard inUse = new NativeUseGuard();
    private final RocksLog rocksLog;
    private final Path dataDir;
    private final SpaceWatch spaceWatch;
    private volatile KalamException fenced;

    private RocksHotStore(Path dataDir, RocksDB db, DBOptions dbOptions, ColumnFamilyOptions cfOptions,
                          LRUCache blockCache, RocksLog rocksLog, List<ColumnFamilyHandle> handles,
                          SpaceWatch spaceWatch) {
        this.dataDir = dataDir;
        this.spaceWatch = spaceWatch;
        this.db = db;
        this.rocksLog = rocksLog;
        this.dbOptions = dbOptions;
        this.cfOptions = cfOptions;
        this.blockCache = blockCache;
        this.handles = handles;
        for (Space space : Space.values()) {
            bySpace.put(space, handles.get(space.ordinal() + 1));
        }
    }

    /**
     * Opens the store under {@code dir}, creating it only when the directory holds no database yet
     * ({@link DataDirectory}). An existing database is opened strictly (never created over, its column families
     * all required but those the engine added since); if RocksDB cannot open it consistently, the open is
     * refused with RocksDB's status and the directory's files are left as they were.
     */
    public static RocksHotStore open(Path dir) {
        return open(dir, 0);
    }

    /**
     * Opens the store (see {@link #open(Path)}), refusing writes with {@code STORAGE_FULL} while its disk has less
     * than {@code minFreeBytes} free (0 = only when RocksDB itself runs out of space).
     */
    public static RocksHotStore open(Path dir, long minFreeBytes) {
        return open(dir, minFreeBytes, null);
    }

    /**
     * As {@link #open(Path, long)}, with the free bytes of the disk told by {@code freeBytes} (tests inject a full
     * disk so), or measured when it is null.
     */
    public static RocksHotStore open(Path dir, long minFreeBytes, LongSupplier freeBytes) {
        try {
            Files.createDirectories(dir);
        } catch (Exception e) {
            throw KalamException.internal("cannot create data directory [path=" + dir + "]: " + e.getMessage(), e);
        }
        Path rocksDir = dir.resolve("rocksdb");
        boolean existing = DataDirectory.holdsDatabaseFiles(rocksDir);
        if (!existing && DataDirectory.hasMarker(dir)) {
            throw new KalamException(KalamErrorCode.STORAGE_CORRUPTION, "refusing to start: this data directory "
                    + "held a database but its hot store files are missing [path=" + rocksDir + ", marker="
                    + dir.resolve(DataDirectory.MARKER) + "]; restore them from a backup (a new database is never "
                    + "created over a lost one; to start an empty database here on purpose, delete the marker)");
        }
        if (existing) {
            ExistingStoreProbe.check(rocksDir, DataDirectory.cleanCloseSequence(dir),
                    dir.resolve(DataDirectory.MARKER));
        }
        RocksLog rocksLog = new RocksLog();
        SpaceWatch watch = new SpaceWatch(dir, minFreeBytes, freeBytes != null ? freeBytes : SpaceWatch.measuring(dir));
        // A bounded total WAL size makes RocksDB flush old memtables, which bounds the replay after a crash.
        DBOptions dbOptions = new DBOptions().setCreateIfMissing(!existing).setCreateMissingColumnFamilies(true)
                .setParanoidChecks(true).setWalRecoveryMode(WAL_RECOVERY).setLogger(rocksLog)
                .setMaxBackgroundJobs(2).setKeepLogFileNum(3).setMaxTotalWalSize(128L * 1024 * 1024)
                .setSstFileManager(watch.sstFileManager()).setListeners(List.of(watch.listener()));
        LRUCache cache = new LRUCache(64L * 1024 * 1024);
        BlockBasedTableConfig table = new BlockBasedTableConfig().setBlockCache(cache)
                .setFilterPolicy(new BloomFilter(10, false));
        ColumnFamilyOptions cfOptions = new ColumnFamilyOptions().setTableFormatConfig(table)
                .setWriteBufferSize(32L * 1024 * 1024);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
        for (Space space : Space.values()) {
            descriptors.add(new ColumnFamilyDescriptor(space.familyName().getBytes(java.nio.charset.StandardCharsets.UTF_8), cfOptions));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db;
        try {
            db = RocksDB.open(dbOptions, rocksDir.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            dbOptions.close();
            cfOptions.close();
            cache.close();
            rocksLog.failed();
            rocksLog.close();
            watch.close();
            throw openFailure(rocksDir, existing, e);
        }
        rocksLog.opened(!existing);
        RocksHotStore store = new RocksHotStore(dir, db, dbOptions, cfOptions, cache, rocksLog, handles, watch);
        try {
            DataDirectory.writeMarker(dir);
        } catch (KalamException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private static KalamException openFailure(Path rocksDir, boolean existing, RocksDBException e) {
        if (!existing) {
            return KalamException.internal("cannot create the hot store [path=" + rocksDir + ", status="
                    + oneLine(e.getMessage()) + "]", e);
        }
        return refusal(rocksDir, e);
    }

    /** Start-up refused on an existing database that RocksDB cannot open: one line with the path and status. */
    static KalamException refusal(Path rocksDir, RocksDBException e) {
        String status = oneLine(e.getMessage());
        LOG.debug("RocksDB cannot open [path={}]: {}", rocksDir, status);
        if (status.contains("/LOCK")) {
            return KalamException.internal("the database is in use by another process [path=" + rocksDir
                    + ", status=" + status + "]", e);
        }
        KalamErrorCode code = isCorruption(e) ? KalamErrorCode.STORAGE_CORRUPTION : KalamErrorCode.INTERNAL_ERROR;
        return new KalamException(code, "refusing to open the existing database: RocksDB cannot open it "
                + "consistently [path=" + rocksDir + ", status=" + status + "]. " + LEFT_UNTOUCHED, e);
    }

    private static boolean isCorruption(RocksDBException e) {
        return e.getStatus() != null && e.getStatus().getCode() == Status.Code.Corruption;
    }

    private static String oneLine(String text) {
        return text == null ? "unknown" : WHITESPACE.matcher(text).replaceAll(" ").trim();
    }

    /**
     * A failed read: corruption (a checksum mismatch, a damaged block) is {@code STORAGE_CORRUPTION}, anything else
     * {@code INTERNAL_ERROR}. RocksDB's status names the file and offset: it is logged here, not sent to clients.
     */
    private static KalamException readFailure(String what, Space space, RocksDBException e) {
        LOG.error("hot store {} failed [space={}]: {}", what, space.familyName(), oneLine(e.getMessage()));
        if (isCorruption(e)) {
            return new KalamException(KalamErrorCode.STORAGE_CORRUPTION, "stored data is corrupted: the " + what
                    + " was stopped rather than answer with partial data [space=" + space.familyName() + "]", e);
        }
        return KalamException.internal("hot store " + what + " failed [space=" + space.familyName() + "]", e);
    }

    @Override
    public void fence(KalamException cause) {
        fenced = requireNonNull(cause, "cause is null");
    }

    private void checkNotFenced() {
        KalamException cause = fenced;
        if (cause != null) {
            throw new KalamException(cause.code(), cause.getMessage(), cause);
        }
    }

    @Override
    public byte[] get(Space space, byte[] key) {
        checkNotFenced();
        inUse.enter();
        try {
            return db.get(bySpace.get(space), readOptions, key);
        } catch (RocksDBException e) {
            throw readFailure("read", space, e);
        } finally {
            inUse.exit();
        }
    }

    @Override
    public Optional<KalamException> diskFull() {
        return spaceWatch.reason();
    }

    @Override
    public Batch newBatch() {
        checkNotFenced();
        return new RocksBatch(); // a batch is plain memory until written
    }

    @Override
    public void write(Batch batch) {
        checkNotFenced();
        spaceWatch.checkWritable();
        inUse.enter();
        try {
            db.write(writeOptions, ((RocksBatch) batch).batch);
        } catch (RocksDBException e) {
            if (SpaceWatch.isNoSpace(e.getStatus())) {
                throw spaceWatch.rocksOutOfSpace(e.getStatus());
            }
            throw KalamException.internal("hot store write failed: " + e.getMessage(), e);
        } finally {
            inUse.exit();
        }
    }

    /**
     * Syncs the write-ahead log. While RocksDB is out of space the sync is not attempted (it would fail with the
     * writer's earlier error and make RocksDB's error permanent): it fails with {@code STORAGE_FULL}, nothing having
     * been lost by a failed fsync. A sync that is attempted and fails is reported as before (fail-stop).
     */
    @Override
    public void sync() {
        spaceWatch.checkRocksHasSpace();
        inUse.enter();
        try {
            db.syncWal();
        } catch (RocksDBException e) {
            throw KalamException.internal("hot store sync failed: " + e.getMessage(), e);
        } finally {
            inUse.exit();
        }
    }

    @Override
    public Cursor scan(Space space, byte[] prefix, boolean reverse) {
        checkNotFenced();
        return new RocksCursor(space, prefix, KeyCodec.prefixUpperBound(prefix), null, reverse, null);
    }

    @Override
    public Cursor scanBetween(Space space, byte[] lower, byte[] upper, boolean reverse) {
        checkNotFenced();
        return new RocksCursor(space, lower, upper, null, reverse, null);
    }

    @Override
    public Snapshot snapshot() {
        checkNotFenced();
        inUse.enter(); // held until the snapshot is closed
        org.rocksdb.Snapshot snap = db.getSnapshot();
        return new Snapshot() {
            private final ReadOptions options = new ReadOptions().setVerifyChecksums(true).setSnapshot(snap);

            @Override
            public byte[] get(Space space, byte[] key) {
                checkNotFenced();
                if (inUse.isClosing()) {
                    throw NativeUseGuard.stopped();
                }
                try {
                    return db.get(bySpace.get(space), options, key);
                } catch (RocksDBException e) {
                    throw readFailure("read", space, e);
                }
            }

            @Override
            public Cursor scan(Space space, byte[] prefix, boolean reverse) {
                checkNotFenced();
                return new RocksCursor(space, prefix, KeyCodec.prefixUpperBound(prefix), null, reverse, snap);
            }

            @Override
            public Cursor scanBetween(Space space, byte[] lower, byte[] upper, boolean reverse) {
                checkNotFenced();
                return new RocksCursor(space, lower, upper, null, reverse, snap);
            }

            private boolean closed;

            @Override
            public void close() {
                if (closed) {
                    return;
                }
                closed = true;
                options.close();
                db.releaseSnapshot(snap);
                inUse.exit();
            }
        };
    }

    @Override
    public Cursor scanRange(Space space, byte[] prefix, byte[] from, boolean reverse) {
        checkNotFenced();
        return new RocksCursor(space, prefix, KeyCodec.prefixUpperBound(prefix), from, reverse, null);
    }

    @Override
    public void close() {
        try {
            if (!inUse.closeAndAwait(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                // freeing handles still in use would crash the JVM: leave them to the exiting process instead
                LOG.error("the hot store was not closed: {} uses of it did not end within {} s", inUse.users(),
                        CLOSE_WAIT_SECONDS);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.error("the hot store was not closed: interrupted while waiting for its uses to end");
            return;
        }
        writeOptions.close();
        readOptions.close();
        // Flushing the memtables on a clean close keeps the next start from replaying the whole write-ahead log.
        // A fenced store is closed as after a crash: what was applied but never made durable is not flushed.
        if (fenced == null) {
            try (org.rocksdb.FlushOptions flush = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
                db.flush(flush, handles);
            } catch (RocksDBException ignored) {
                // the WAL still holds every write; the next open replays it
            }
            try {
                db.syncWal();
                DataDirectory.recordCleanClose(dataDir, db.getLatestSequenceNumber());
            } catch (RocksDBException | KalamException e) {
                LOG.warn("the hot store did not close cleanly: {}", e.getMessage());
            }
        }
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        db.close();
        dbOptions.close();
        cfOptions.close();
        blockCache.close();
        rocksLog.close();
        spaceWatch.close();
    }

    private final class RocksBatch implements Batch {
        private final WriteBatch batch = new WriteBatch();

        @Override
        public void put(Space space, byte[] key, byte[] value) {
            try {
                batch.put(bySpace.get(space), key, value);
            } catch (RocksDBException e) {
                throw KalamException.internal("batch put failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void delete(Space space, byte[] key) {
            try {
                batch.delete(bySpace.get(space), key);
            } catch (RocksDBException e) {
                throw KalamException.internal("batch delete failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void deleteRange(Space space, byte[] from, byte[] to) {
            try {
                batch.deleteRange(bySpace.get(space), from, to);
            } catch (RocksDBException e) {
                throw KalamException.internal("batch delete range failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            batch.close();
        }
    }

    private final class RocksCursor implements Cursor {
        private final ReadOptions readOptions = new ReadOptions().setVerifyChecksums(true);
        private final Space space;
        private final org.rocksdb.Slice lower;
        private final org.rocksdb.Slice upper;
        private final RocksIterator it;
        private final boolean reverse;
        private boolean started;
        private boolean closed;

        /**
         * Iterates keys in [{@code lower}, {@code upper}) ({@code upper} null: unbounded) from {@code from} (null:
         * the first, or in reverse the last); RocksDB's iterate bounds end the range, so no key is copied to check.
         */
        RocksCursor(Space space, byte[] prefix, byte[] end, byte[] from, boolean reverse,
                            org.rocksdb.Snapshot snap) {
            this.space = space;
            this.reverse = reverse;
            inUse.enter(); // held until this cursor is closed
            if (snap != null) {
                readOptions.setSnapshot(snap);
            }
            this.lower = new org.rocksdb.Slice(prefix);
            this.upper = end == null ? null : new org.rocksdb.Slice(end);
            readOptions.setIterateLowerBound(lower);
            if (upper != null) {
                readOptions.setIterateUpperBound(upper);
            }
            this.it = db.newIterator(bySpace.get(space), readOptions);
            if (reverse) {
                if (from != null) {
                    it.seekForPrev(from);
                } else {
                    it.seekToLast();
                }
            } else {
                it.seek(from != null ? from : prefix);
            }
        }

        @Override
        public boolean next() {
            if (inUse.isClosing()) {
                throw NativeUseGuard.stopped();
            }
            if (started) {
                if (reverse) {
                    it.prev();
                } else {
                    it.next();
                }
            }
            started = true;
            if (it.isValid()) {
                return true;
            }
            // The end of the range, or an error (a corrupted block, a failed read): only the status tells which.
            try {
                it.status();
            } catch (RocksDBException e) {
                throw readFailure("scan", space, e);
            }
            return false;
        }

        @Override
        public byte[] key() {
            return it.key();
        }

        @Override
        public byte[] value() {
            return it.value();
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            it.close();
            readOptions.close();
            lower.close();
            if (upper != null) {
                upper.close();
            }
            inUse.exit();
        }
    }
}
