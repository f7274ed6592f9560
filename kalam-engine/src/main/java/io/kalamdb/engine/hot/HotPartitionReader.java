package io.kalamdb.engine.hot;

import static java.util.Objects.requireNonNull;

/**
 * The {@link PartitionReader} of the hot store (RocksDB): rows from {@link Space#ROWS}, seq order through
 * {@link Space#SEQ_INDEX} and index lookups through {@link Space#INDEX}, each followed by a point read of the
 * row. Every cursor is bounded inside the store to the keys asked for, and reports RocksDB's status at its end.
 */
public final class HotPartitionReader implements PartitionReader {
    private final Source source;
    /** The store snapshots are taken of; null in a snapshot's reader. */
    private final HotStore store;

    /** The reads both the store and a snapshot of it answer. */
    private interface Source {
        byte[] get(Space space, byte[] key);

        HotStore.Cursor scanBetween(Space space, byte[] lower, byte[] upper, boolean reverse);
    }

    public HotPartitionReader(HotStore store) {
        requireNonNull(store, "store is null");
        this.source = new Source() {
            @Override
            public byte[] get(Space space, byte[] key) {
                return store.get(space, key);
            }

            @Override
            public HotStore.Cursor scanBetween(Space space, byte[] lower, byte[] upper, boolean reverse) {
                return store.scanBetween(space, lower, upper, reverse);
            }
        };
        this.store = store;
    }

    private HotPartitionReader(Source source) {
        this.source = source;
        this.store = null;
    }

    @Override
    public byte[] get(byte[] partition, byte[] pk) {
        return source.get(Space.ROWS, KeyCodec.rowKey(partition, pk));
    }

    @Override
    public RowCursor scanKeys(byte[] partition, byte[] fromPk, byte[] toPk, boolean reverse) {
        byte[] lower = fromPk == null ? partition : KeyCodec.rowKey(partition, fromPk);
        byte[] upper = toPk == null ? KeyCodec.prefixUpperBound(partition) : KeyCodec.rowKey(partition, toPk);
        HotStore.Cursor c = source.scanBetween(Space.ROWS, lower, upper, reverse);
        int skip = partition.length;
        return new RowCursor() {
            @Override
            public boolean next() {
                return c.next();
            }

            @Override
            public byte[] pk() {
                byte[] key = c.key();
                return java.util.Arrays.copyOfRange(key, skip, key.length);
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

    @Override
    public RowCursor scanSeq(byte[] partition, long fromSeq, long toSeq, boolean reverse) {
        HotStore.Cursor c = source.scanBetween(Space.SEQ_INDEX, KeyCodec.seqKey(partition, fromSeq),
                toSeq == Long.MAX_VALUE ? KeyCodec.prefixUpperBound(partition) : KeyCodec.seqKey(partition, toSeq),
                reverse);
        return new Lookup(c, partition.length) {
            @Override
            byte[] rowKey(byte[] entryKey, byte[] entryValue) {
                return entryValue;
            }
        };
    }

    @Override
    public byte[] nextPartition(long tableId, byte[] afterPartition) {
        byte[] table = KeyCodec.tablePrefix(tableId);
        byte[] from = afterPartition == null ? table : KeyCodec.prefixUpperBound(afterPartition);
        if (from == null) {
            return null;
        }
        try (HotStore.Cursor c = source.scanBetween(Space.SEQ_INDEX, from, KeyCodec.prefixUpperBound(table), false)) {
            return c.next() ? KeyCodec.partitionPrefix(tableId, KeyCodec.partitionOf(c.key())) : null;
        }
    }

    @Override
    public RowCursor scanIndex(byte[] partition, int columnId, byte[] encodedValue, boolean reverse) {
        byte[] prefix = KeyCodec.indexPrefix(partition, columnId, encodedValue);
        HotStore.Cursor c = source.scanBetween(Space.INDEX, prefix, KeyCodec.prefixUpperBound(prefix), reverse);
        return new Lookup(c, partition.length) {
            @Override
            byte[] rowKey(byte[] entryKey, byte[] entryValue) {
                byte[] key = new byte[partition.length + entryKey.length - prefix.length];
                System.arraycopy(partition, 0, key, 0, partition.length);
                System.arraycopy(entryKey, prefix.length, key, partition.length, entryKey.length - prefix.length);
                return key;
            }
        };
    }

    /**
     * A reader of a snapshot someone else took (and closes), such as the applier's boundary snapshot of a live
     * query; its own {@link #snapshot()} is not supported.
     */
    public static PartitionReader over(HotStore.Snapshot snap) {
        requireNonNull(snap, "snap is null");
        return new HotPartitionReader(new Source() {
            @Override
            public byte[] get(Space space, byte[] key) {
                return snap.get(space, key);
            }

            @Override
            public HotStore.Cursor scanBetween(Space space, byte[] lower, byte[] upper, boolean reverse) {
                return snap.scanBetween(space, lower, upper, reverse);
            }
        });
    }

    @Override
    public Snapshot snapshot() {
        if (store == null) {
            throw new UnsupportedOperationException("a snapshot of a snapshot");
        }
        HotStore.Snapshot snap = store.snapshot();
        PartitionReader reader = over(snap);
        return new Snapshot() {
            @Override
            public byte[] get(byte[] partition, byte[] pk) {
                return reader.get(partition, pk);
            }

            @Override
            public RowCursor scanKeys(byte[] partition, byte[] fromPk, byte[] toPk, boolean reverse) {
                return reader.scanKeys(partition, fromPk, toPk, reverse);
            }

            @Override
            public RowCursor scanSeq(byte[] partition, long fromSeq, long toSeq, boolean reverse) {
                return reader.scanSeq(partition, fromSeq, toSeq, reverse);
            }

            @Override
            public RowCursor scanIndex(byte[] partition, int columnId, byte[] encodedValue, boolean reverse) {
                return reader.scanIndex(partition, columnId, encodedValue, reverse);
            }

            @Override
            public byte[] nextPartition(long tableId, byte[] afterPartition) {
                return reader.nextPartition(tableId, afterPartition);
            }

            @Override
            public Snapshot snapshot() {
                throw new UnsupportedOperationException("a snapshot of a snapshot");
            }

            @Override
            public void close() {
                snap.close();
            }
        };
    }

    /** Index entries (seq or secondary) followed by a point read of each row; entries whose row is gone are skipped. */
    private abstract class Lookup implements RowCursor {
        private final HotStore.Cursor entries;
        private final int partitionLength;
        private byte[] key;
        private byte[] value;

        Lookup(HotStore.Cursor entries, int partitionLength) {
            this.entries = entries;
            this.partitionLength = partitionLength;
        }

        abstract byte[] rowKey(byte[] entryKey, byte[] entryValue);

        @Override
        public boolean next() {
            while (entries.next()) {
                key = rowKey(entries.key(), entries.value());
                value = source.get(Space.ROWS, key);
                if (value != null) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public byte[] pk() {
            return java.util.Arrays.copyOfRange(key, partitionLength, key.length);
        }

        @Override
        public byte[] value() {
            return value;
        }

        @Override
        public void close() {
            entries.close();
        }
    }
}
