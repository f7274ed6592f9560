package io.kalamdb.engine.hot;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongSupplier;

import org.rocksdb.AbstractEventListener;
import org.rocksdb.Env;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileManager;
import org.rocksdb.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the hot store's disk has room for writes. Two signals: the free bytes of the data directory's disk
 * against a floor (checked before every write, so RocksDB normally never runs out), and RocksDB's own "no space"
 * background error, which lasts until RocksDB reports its automatic recovery complete. Either refuses writes with
 * {@code STORAGE_FULL}; both pass by themselves once space is freed.
 */
final class SpaceWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpaceWatch.class);
    /** The configuration key of the floor, named in every refusal so an operator knows what to tune. */
    static final String MIN_FREE_KEY = "storage.min_free_bytes";

    private final Path dataDir;
    private final long minFreeBytes;
    private final LongSupplier freeBytes;
    private final SstFileManager sstFileManager;
    private final Listener listener = new Listener();
    /** RocksDB's "no space" error, until its recovery completes; null while RocksDB has space. */
    private volatile KalamException rocksOutOfSpace;
    private volatile boolean belowFloor;

    SpaceWatch(Path dataDir, long minFreeBytes, LongSupplier freeBytes) {
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        if (minFreeBytes < 0) {
            throw new IllegalArgumentException("minFreeBytes must not be negative: " + minFreeBytes);
        }
        this.minFreeBytes = minFreeBytes;
        this.freeBytes = requireNonNull(freeBytes, "freeBytes is null");
        try {
            this.sstFileManager = new SstFileManager(Env.getDefault());
        } catch (RocksDBException e) {
            throw KalamException.internal("cannot create the RocksDB file manager: " + e.getMessage(), e);
        }
    }

    /**
     * The usable bytes of the disk holding {@code dir}, measured on each call (one {@code statvfs}; the file store
     * is looked up once, as that reads the mount table); -1 when they cannot be told.
     */
    static LongSupplier measuring(Path dir) {
        FileStore store;
        try {
            store = Files.getFileStore(dir);
        } catch (IOException | SecurityException e) {
            LOG.warn("cannot tell the free space of the data directory's disk; only RocksDB's own out-of-space "
                    + "errors will refuse writes [path={}]: {}", dir, e.getMessage());
            return () -> -1;
        }
        return () -> {
            try {
                return store.getUsableSpace();
            } catch (IOException | SecurityException e) {
                return -1;
            }
        };
    }

    static boolean isNoSpace(Status status) {
        return status != null && status.getSubCode() == Status.SubCode.NoSpace;
    }

    /** Hands RocksDB the manager whose polling for free space drives its recovery from "no space". */
    SstFileManager sstFileManager() {
        return sstFileManager;
    }

    AbstractEventListener listener() {
        return listener;
    }

    /** Fails with {@code STORAGE_FULL} when a write must not be attempted now. */
    void checkWritable() {
        checkRocksHasSpace();
        if (minFreeBytes == 0) {
            return;
        }
        long free = freeBytes.getAsLong();
        boolean below = free >= 0 && free < minFreeBytes;
        if (below != belowFloor) {
            belowFloor = below;
            if (below) {
                LOG.warn("disk nearly full: refusing writes until space is freed [path={}, free_bytes={}, {}={}]",
                        dataDir, free, MIN_FREE_KEY, minFreeBytes);
            } else {
                LOG.info("disk space is back: accepting writes again [path={}, free_bytes={}]", dataDir, free);
            }
        }
        if (below) {
            throw belowFloor(free);
        }
    }

    /** Fails with {@code STORAGE_FULL} while RocksDB is recovering from "no space" (nothing may touch its log). */
    void checkRocksHasSpace() {
        KalamException rocks = rocksOutOfSpace;
        if (rocks != null) {
            throw new KalamException(rocks.code(), rocks.getMessage(), rocks);
        }
    }

    /** Records that RocksDB ran out of space and returns the error for the write that found out. */
    KalamException rocksOutOfSpace(Status status) {
        KalamException full = new KalamException(KalamErrorCode.STORAGE_FULL, "disk full: the hot store ran out of "
                + "space; writes are refused and resume by themselves once space is freed on the data directory's "
                + "disk (reads go on) [path=" + dataDir + ", " + MIN_FREE_KEY + "=" + minFreeBytes + "]");
        if (rocksOutOfSpace == null) {
            LOG.warn("RocksDB ran out of disk space: refusing writes until its recovery completes [path={}, "
                    + "status={}]", dataDir, status == null ? "unknown" : status.getState());
        }
        rocksOutOfSpace = full;
        return full;
    }

    /** Why writes are refused now, measured afresh, or empty. */
    Optional<KalamException> reason() {
        KalamException rocks = rocksOutOfSpace;
        if (rocks != null) {
            return Optional.of(rocks);
        }
        if (minFreeBytes > 0) {
            long free = freeBytes.getAsLong();
            if (free >= 0 && free < minFreeBytes) {
                return Optional.of(belowFloor(free));
            }
        }
        return Optional.empty();
    }

    private KalamException belowFloor(long free) {
        return new KalamException(KalamErrorCode.STORAGE_FULL, "disk full: less free space than the floor on the "
                + "data directory's disk; writes are refused and resume by themselves once space is freed (reads go "
                + "on) [path=" + dataDir + ", free_bytes=" + free + ", " + MIN_FREE_KEY + "=" + minFreeBytes + "]");
    }

    @Override
    public void close() {
        listener.close();
        sstFileManager.close();
    }

    /**
     * RocksDB's end-of-recovery callback, called on its own threads. RocksDB's "no space" itself is learnt from the
     * failed write, not from the background-error callback: RocksJava 11.8 cannot map every reason RocksDB passes
     * to it (a failed flush's reason 5 throws in the callback's proxy), and a write is what must be refused anyway.
     */
    private final class Listener extends AbstractEventListener {
        Listener() {
            super(EnabledEventCallback.ON_ERROR_RECOVERY_COMPLETED);
        }

        @Override
        public void onErrorRecoveryCompleted(Status oldBackgroundError) {
            if (rocksOutOfSpace != null) {
                LOG.info("RocksDB recovered from running out of disk space: accepting writes again [path={}]",
                        dataDir);
                rocksOutOfSpace = null;
            }
        }
    }
}
