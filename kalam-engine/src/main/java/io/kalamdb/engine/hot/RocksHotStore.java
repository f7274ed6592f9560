package io.kalamdb.engine.hot;

import io.kalamdb.engine.error.KalamException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

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
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** The hot store on RocksDB: one column family per {@link Space}, writes through the write-ahead log. */
public final class RocksHotStore implements HotStore {
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

    private RocksHotStore(RocksDB db, DBOptions dbOptions, ColumnFamilyOptions cfOptions, LRUCache blockCache,
                          List<ColumnFamilyHandle> handles) {
        this.db = db;
        this.dbOptions = dbOptions;
        this.cfOptions = cfOptions;
        this.blockCache = blockCache;
        this.handles = handles;
        for (Space space : Space.values()) {
            bySpace.put(space, handles.get(space.ordinal() + 1));
        }
    }

    /** Opens (creating if needed) the store under {@code dir}. */
    public static RocksHotStore open(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (Exception e) {
            throw KalamException.internal("cannot create data directory [path=" + dir + "]: " + e.getMessage(), e);
        }
        // A bounded total WAL size makes RocksDB flush old memtables, which bounds the replay after a crash.
        DBOptions dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(2).setKeepLogFileNum(3).setMaxTotalWalSize(128L * 1024 * 1024);
        LRUCache cache = new LRUCache(64L * 1024 * 1024);
        BlockBasedTableConfig table = new BlockBasedTableConfig().setBlockCache(cache)
                .setFilterPolicy(new BloomFilter(10, false));
        ColumnFamilyOptions cfOptions = new ColumnFamilyOptions().setTableFormatConfig(table)
                .setWriteBufferSize(32L * 1024 * 1024);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
        for (Space space : Space.values()) {
            descriptors.add(new ColumnFamilyDescriptor(space.familyName().getBytes(), cfOptions));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            RocksDB db = RocksDB.open(dbOptions, dir.resolve("rocksdb").toString(), descriptors, handles);
            return new RocksHotStore(db, dbOptions, cfOptions, cache, handles);
        } catch (RocksDBException e) {
            throw KalamException.internal("cannot open the hot store [path=" + dir + "]: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] get(Space space, byte[] key) {
        try {
            return db.get(bySpace.get(space), key);
        } catch (RocksDBException e) {
            throw KalamException.internal("hot store read failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Batch newBatch() {
        return new RocksBatch();
    }

    @Override
    public void write(Batch batch) {
        try {
            db.write(writeOptions, ((RocksBatch) batch).batch);
        } catch (RocksDBException e) {
            throw KalamException.internal("hot store write failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void sync() {
        try {
            db.syncWal();
        } catch (RocksDBException e) {
            throw KalamException.internal("hot store sync failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Cursor scan(Space space, byte[] prefix, boolean reverse) {
        return new RocksCursor(bySpace.get(space), prefix, null, reverse, null);
    }

    @Override
    public Snapshot snapshot() {
        org.rocksdb.Snapshot snap = db.getSnapshot();
        return new Snapshot() {
            private final ReadOptions options = new ReadOptions().setSnapshot(snap);

            @Override
            public byte[] get(Space space, byte[] key) {
                try {
                    return db.get(bySpace.get(space), options, key);
                } catch (RocksDBException e) {
                    throw KalamException.internal("hot store read failed: " + e.getMessage(), e);
                }
            }

            @Override
            public Cursor scan(Space space, byte[] prefix, boolean reverse) {
                return new RocksCursor(bySpace.get(space), prefix, null, reverse, snap);
            }

            @Override
            public void close() {
                options.close();
                db.releaseSnapshot(snap);
            }
        };
    }

    @Override
    public Cursor scanRange(Space space, byte[] prefix, byte[] from, boolean reverse) {
        return new RocksCursor(bySpace.get(space), prefix, from, reverse, null);
    }

    @Override
    public void close() {
        writeOptions.close();
        // Flushing the memtables on a clean close keeps the next start from replaying the whole write-ahead log.
        try (org.rocksdb.FlushOptions flush = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
            db.flush(flush, handles);
        } catch (RocksDBException ignored) {
            // the WAL still holds every write; the next open replays it
        }
        try {
            db.syncWal();
        } catch (RocksDBException ignored) {
            // closing anyway
        }
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        db.close();
        dbOptions.close();
        cfOptions.close();
        blockCache.close();
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
        private final ReadOptions readOptions = new ReadOptions();
        private final org.rocksdb.Slice lower;
        private final org.rocksdb.Slice upper;
        private final RocksIterator it;
        private final boolean reverse;
        private boolean started;

        /** Iterates keys with {@code prefix}; RocksDB's iterate bounds end the range, so no key is copied to check. */
        RocksCursor(ColumnFamilyHandle cf, byte[] prefix, byte[] from, boolean reverse, org.rocksdb.Snapshot snap) {
            this.reverse = reverse;
            if (snap != null) {
                readOptions.setSnapshot(snap);
            }
            byte[] end = KeyCodec.prefixUpperBound(prefix);
            this.lower = new org.rocksdb.Slice(prefix);
            this.upper = end == null ? null : new org.rocksdb.Slice(end);
            readOptions.setIterateLowerBound(lower);
            if (upper != null) {
                readOptions.setIterateUpperBound(upper);
            }
            this.it = db.newIterator(cf, readOptions);
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
            if (started) {
                if (reverse) {
                    it.prev();
                } else {
                    it.next();
                }
            }
            started = true;
            return it.isValid();
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
            it.close();
            readOptions.close();
            lower.close();
            if (upper != null) {
                upper.close();
            }
        }
    }
}
