package io.kalamdb.engine.hot;

/**
 * The one way to read stored rows: a partition's rows by primary key, by {@code _seq} or through a secondary
 * index, in either direction, from the store as it is now or from a snapshot.
 *
 * <p>A partition is named by its prefix ({@link KeyCodec#partitionPrefix}); primary keys and index values are
 * encoded with {@link KeyCodec#encodePk}, so key order is the column's SQL order. Bounds are in key bytes: lower
 * inclusive, upper exclusive, null for unbounded ({@link #after} turns an inclusive upper bound or an exclusive
 * lower bound into one). A storage failure is an exception from the read or from {@link RowCursor#next}, never a
 * cursor that silently ends early.
 */
public interface PartitionReader {

    /** The stored row of {@code pk} in the partition, or null. */
    byte[] get(byte[] partition, byte[] pk);

    /** The partition's rows with primary keys in [{@code fromPk}, {@code toPk}), in key order or reverse. */
    RowCursor scanKeys(byte[] partition, byte[] fromPk, byte[] toPk, boolean reverse);

    /** The partition's rows with {@code _seq} in [{@code fromSeq}, {@code toSeq}), in seq order or reverse. */
    RowCursor scanSeq(byte[] partition, long fromSeq, long toSeq, boolean reverse);

    /**
     * The partition's live rows whose indexed column {@code columnId} has the encoded value, in primary-key order
     * or reverse. Soft-deleted rows are not in indexes.
     */
    RowCursor scanIndex(byte[] partition, int columnId, byte[] encodedValue, boolean reverse);

    /**
     * The prefix of the first partition of table {@code tableId} that holds rows and comes after the partition
     * {@code afterPartition} (null: the table's first), or null when there is none. One seek per call, so walking
     * a table's partitions costs one seek per partition, not a read of its rows.
     */
    byte[] nextPartition(long tableId, byte[] afterPartition);

    /** A point-in-time view: its reads see exactly the writes made before it was taken. Must be closed. */
    Snapshot snapshot();

    /** The smallest key after {@code key} and every key that starts with it: {@code key} followed by 0x00. */
    static byte[] after(byte[] key) {
        return java.util.Arrays.copyOf(key, key.length + 1);
    }

    /** A {@link PartitionReader} over a snapshot. */
    interface Snapshot extends PartitionReader, AutoCloseable {
        @Override
        void close();
    }

    /** Rows one at a time: the primary key (encoded), the stored row and its {@code _seq}. Must be closed. */
    interface RowCursor extends AutoCloseable {
        /** Moves to the next row; false at the end. Throws when the store fails. */
        boolean next();

        byte[] pk();

        byte[] value();

        @Override
        void close();
    }
}
