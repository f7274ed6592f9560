package io.kalamdb.engine.tx;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.catalog.ColumnDef;
import io.kalamdb.engine.hot.KeyCodec;
import io.kalamdb.engine.hot.PartitionReader;
import io.kalamdb.engine.hot.RowCodec;

import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * A {@link PartitionReader} that shows a transaction's staged rows over the rows of another reader (the
 * transaction's snapshot): a staged version replaces the stored row of its primary key in every read (a staged
 * delete is a soft-deleted version, which readers hide as they hide stored ones), and staged rows are found by key
 * range, by index value and by {@code _seq} (staged rows carry provisional seqs above every stored one).
 */
final class StagedPartitionReader implements PartitionReader {
    private final PartitionReader base;
    private final StagedRows staged;

    StagedPartitionReader(PartitionReader base, StagedRows staged) {
        this.base = requireNonNull(base, "base is null");
        this.staged = requireNonNull(staged, "staged is null");
    }

    @Override
    public byte[] get(byte[] partition, byte[] pk) {
        byte[] row = staged.get(partition, pk);
        return row != null ? row : base.get(partition, pk);
    }

    @Override
    public RowCursor scanKeys(byte[] partition, byte[] fromPk, byte[] toPk, boolean reverse) {
        NavigableMap<byte[], byte[]> rows = staged.rows(partition);
        RowCursor stored = base.scanKeys(partition, fromPk, toPk, reverse);
        if (rows.isEmpty()) {
            return stored;
        }
        NavigableMap<byte[], byte[]> range = rows;
        if (fromPk != null) {
            range = range.tailMap(fromPk, true);
        }
        if (toPk != null) {
            range = range.headMap(toPk, false);
        }
        return new Merged(stored, rows, entries(range, reverse), reverse);
    }

    @Override
    public RowCursor scanIndex(byte[] partition, int columnId, byte[] encodedValue, boolean reverse) {
        NavigableMap<byte[], byte[]> rows = staged.rows(partition);
        RowCursor stored = base.scanIndex(partition, columnId, encodedValue, reverse);
        if (rows.isEmpty()) {
            return stored;
        }
        var def = staged.table(partition);
        int column = -1;
        for (int i = 0; i < def.columns().size(); i++) {
            if (def.columns().get(i).id() == columnId) {
                column = i;
            }
        }
        ColumnDef c = column < 0 ? null : def.columns().get(column);
        int index = column;
        List<Map.Entry<byte[], byte[]>> matching = new java.util.ArrayList<>();
        for (Map.Entry<byte[], byte[]> e : entries(rows, reverse)) {
            byte[] row = e.getValue();
            if (c == null || RowCodec.isDeleted(row)) {
                continue;
            }
            Object v = RowCodec.decodeColumn(def, row, index);
            if (v != null && Arrays.equals(KeyCodec.encodePk(c.type(), v), encodedValue)) {
                matching.add(e);
            }
        }
        return new Merged(stored, rows, matching, reverse);
    }

    @Override
    public RowCursor scanSeq(byte[] partition, long fromSeq, long toSeq, boolean reverse) {
        NavigableMap<byte[], byte[]> rows = staged.rows(partition);
        RowCursor stored = base.scanSeq(partition, fromSeq, toSeq, reverse);
        if (rows.isEmpty()) {
            return stored;
        }
        List<Map.Entry<byte[], byte[]>> inRange = new java.util.ArrayList<>();
        for (Map.Entry<byte[], byte[]> e : rows.entrySet()) {
            long seq = RowCodec.seqOf(e.getValue());
            if (seq >= fromSeq && seq < toSeq) {
                inRange.add(e);
            }
        }
        inRange.sort((a, b) -> Long.compare(RowCodec.seqOf(a.getValue()), RowCodec.seqOf(b.getValue())));
        if (reverse) {
            Collections.reverse(inRange);
        }
        // every staged seq is above every stored one: stored rows first going up, staged rows first going down
        return new Chained(stored, rows, inRange, reverse);
    }

    /** Partitions come from the stored rows only: a partition the transaction creates is not walked. */
    @Override
    public byte[] nextPartition(long tableId, byte[] afterPartition) {
        return base.nextPartition(tableId, afterPartition);
    }

    @Override
    public Snapshot snapshot() {
        throw new UnsupportedOperationException("a snapshot of a transaction's reader");
    }

    private static List<Map.Entry<byte[], byte[]>> entries(NavigableMap<byte[], byte[]> rows, boolean reverse) {
        return List.copyOf((reverse ? rows.descendingMap() : rows).entrySet());
    }

    /** Stored rows whose keys the transaction has not staged. */
    private abstract static class Filtered implements RowCursor {
        private final RowCursor stored;
        private final NavigableMap<byte[], byte[]> staged;
        private byte[] storedPk;
        private byte[] storedValue;
        private boolean storedDone;
        protected byte[] pk;
        protected byte[] value;

        Filtered(RowCursor stored, NavigableMap<byte[], byte[]> staged) {
            this.stored = stored;
            this.staged = staged;
        }

        /** Loads the next stored row not shadowed by a staged one into {@code storedPk}; false at the end. */
        boolean peekStored() {
            if (storedPk != null) {
                return true;
            }
            while (!storedDone && stored.next()) {
                byte[] key = stored.pk();
                if (!staged.containsKey(key)) {
                    storedPk = key;
                    storedValue = stored.value();
                    return true;
                }
            }
            storedDone = true;
            return false;
        }

        void takeStored() {
            pk = storedPk;
            value = storedValue;
            storedPk = null;
            storedValue = null;
        }

        byte[] storedPk() {
            return storedPk;
        }

        @Override
        public byte[] pk() {
            return pk;
        }

        @Override
        public byte[] value() {
            return value;
        }

        @Override
        public void close() {
            stored.close();
        }
    }

    /** Stored and staged rows in one primary-key order. */
    private static final class Merged extends Filtered {
        private final Iterator<Map.Entry<byte[], byte[]>> extra;
        private final boolean reverse;
        private Map.Entry<byte[], byte[]> next;

        Merged(RowCursor stored, NavigableMap<byte[], byte[]> staged, List<Map.Entry<byte[], byte[]>> extra,
               boolean reverse) {
            super(stored, staged);
            this.extra = extra.iterator();
            this.reverse = reverse;
        }

        @Override
        public boolean next() {
            if (next == null && extra.hasNext()) {
                next = extra.next();
            }
            boolean hasStored = peekStored();
            if (next == null && !hasStored) {
                return false;
            }
            boolean stagedFirst = next != null && (!hasStored || compare(next.getKey(), storedPk()) < 0);
            if (stagedFirst) {
                pk = next.getKey();
                value = next.getValue();
                next = null;
            } else {
                takeStored();
            }
            return true;
        }

        private int compare(byte[] a, byte[] b) {
            int c = Arrays.compareUnsigned(a, b);
            return reverse ? -c : c;
        }
    }

    /** Stored rows then staged rows (or the reverse), for {@code _seq} order. */
    private static final class Chained extends Filtered {
        private final Iterator<Map.Entry<byte[], byte[]>> extra;
        private final boolean stagedFirst;

        Chained(RowCursor stored, NavigableMap<byte[], byte[]> staged, List<Map.Entry<byte[], byte[]>> extra,
                boolean stagedFirst) {
            super(stored, staged);
            this.extra = extra.iterator();
            this.stagedFirst = stagedFirst;
        }

        @Override
        public boolean next() {
            if (stagedFirst && extra.hasNext()) {
                return takeExtra();
            }
            if (peekStored()) {
                takeStored();
                return true;
            }
            return !stagedFirst && extra.hasNext() && takeExtra();
        }

        private boolean takeExtra() {
            Map.Entry<byte[], byte[]> e = extra.next();
            pk = e.getKey();
            value = e.getValue();
            return true;
        }
    }
}
