package io.kalamdb.engine.hot;

/**
 * The hot tier: an ordered key-value store with atomic batches. Implementations name the technology
 * ({@link RocksHotStore}).
 */
public interface HotStore extends AutoCloseable {

    byte[] get(Space space, byte[] key);

    /** A new empty batch; nothing is visible until {@link #write(Batch)}. */
    Batch newBatch();

    /** Applies a batch atomically (not yet synced to disk: see {@link #sync()}). */
    void write(Batch batch);

    /** Makes every write so far durable (fsync of the write-ahead log). */
    void sync();

    /**
     * Why writes are refused for lack of disk space right now ({@code STORAGE_FULL}), or empty. Unlike a fence,
     * this passes by itself once space is freed.
     */
    default java.util.Optional<io.kalamdb.engine.error.KalamException> diskFull() {
        return java.util.Optional.empty();
    }

    /** Keys starting with {@code prefix} in key order, or in reverse order. The cursor must be closed. */
    Cursor scan(Space space, byte[] prefix, boolean reverse);

    /** Keys in [{@code from}, {@code to}) within {@code prefix}, forward. */
    Cursor scanRange(Space space, byte[] prefix, byte[] from, boolean reverse);

    /**
     * Keys in [{@code lower}, {@code upper}) ({@code upper} null: every key from {@code lower} on), in key order or
     * in reverse. The bounds end the iteration inside the store, so no key outside them is read.
     */
    Cursor scanBetween(Space space, byte[] lower, byte[] upper, boolean reverse);

    /** A consistent read-only view of the store as of now; must be closed. */
    Snapshot snapshot();

    /**
     * Stops serving for good (fail-stop): every later read, scan, snapshot and write fails with {@code cause}'s
     * code and message. The write log fences the store when it cannot make writes durable, so that rows applied
     * but never acknowledged are not shown to anyone; a restart recovers from what reached the disk.
     */
    void fence(io.kalamdb.engine.error.KalamException cause);

    @Override
    void close();

    /** A point-in-time view: reads see exactly the writes made before it was taken. */
    interface Snapshot extends AutoCloseable {
        byte[] get(Space space, byte[] key);

        Cursor scan(Space space, byte[] prefix, boolean reverse);

        /** As {@link HotStore#scanBetween}, in this view. */
        Cursor scanBetween(Space space, byte[] lower, byte[] upper, boolean reverse);

        @Override
        void close();
    }

    /** Writes grouped for one atomic apply. */
    interface Batch extends AutoCloseable {
        void put(Space space, byte[] key, byte[] value);

        void delete(Space space, byte[] key);

        /** Deletes keys in [{@code from}, {@code to}). */
        void deleteRange(Space space, byte[] from, byte[] to);

        @Override
        void close();
    }

    /** A positioned iterator over keys and values. */
    interface Cursor extends AutoCloseable {
        boolean next();

        byte[] key();

        byte[] value();

        @Override
        void close();
    }
}
