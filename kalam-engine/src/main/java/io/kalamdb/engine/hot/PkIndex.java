package io.kalamdb.engine.hot;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/**
 * The primary-key space of the hot store ({@link Space#PK_INDEX}): which keys of a partition are taken, with the
 * {@code _seq} of their latest version, written in the same batch as the row and kept when the row itself leaves
 * the hot store (a flush to a cold tier), so uniqueness and expected-version checks never need the row.
 *
 * <p>Stores written before this space existed get it built from their rows once, on open ({@link #ensureBuilt});
 * a marker in {@link Space#META} records that it is complete.
 */
public final class PkIndex {
    /** Present once every stored row has its entry; the value is the format version (1). */
    static final byte[] FORMAT_KEY = "state/pk_index_format".getBytes(StandardCharsets.UTF_8);
    private static final byte[] FORMAT_V1 = {1};
    /** Entries written per batch while building the space from existing rows. */
    private static final int BUILD_BATCH = 10_000;

    private final HotStore store;

    public PkIndex(HotStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    /** The committed entry of {@code rowKey} (a {@link KeyCodec#rowKey}), or null when the key is free. */
    public PkEntry get(byte[] rowKey) {
        return PkEntry.decode(store.get(Space.PK_INDEX, rowKey));
    }

    /** Records in {@code batch} that the key's latest version is {@code entry}. */
    public static void put(HotStore.Batch batch, byte[] rowKey, PkEntry entry) {
        batch.put(Space.PK_INDEX, rowKey, entry.encode());
    }

    /** Frees the key in {@code batch} (a hard delete). */
    public static void remove(HotStore.Batch batch, byte[] rowKey) {
        batch.delete(Space.PK_INDEX, rowKey);
    }

    /**
     * Builds the space from the stored rows when the store predates it (no format marker), then writes the
     * marker; returns the number of entries written. Idempotent: a crash midway redoes it on the next open.
     */
    public int ensureBuilt() {
        if (store.get(Space.META, FORMAT_KEY) != null) {
            return 0;
        }
        int written = 0;
        HotStore.Batch batch = store.newBatch();
        try (HotStore.Cursor rows = store.scan(Space.ROWS, new byte[0], false)) {
            int inBatch = 0;
            while (rows.next()) {
                put(batch, rows.key(), PkEntry.ofRow(rows.value()));
                written++;
                if (++inBatch == BUILD_BATCH) {
                    store.write(batch);
                    batch.close();
                    batch = store.newBatch();
                    inBatch = 0;
                }
            }
            batch.put(Space.META, FORMAT_KEY, FORMAT_V1);
            store.write(batch);
        } finally {
            batch.close();
        }
        store.sync();
        return written;
    }
}
