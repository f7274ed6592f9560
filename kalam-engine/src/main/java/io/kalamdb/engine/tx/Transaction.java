package io.kalamdb.engine.tx;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.catalog.TableType;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.hot.KeyCodec;
import io.kalamdb.engine.hot.PartitionReader;
import io.kalamdb.engine.hot.RowCodec;
import io.kalamdb.engine.write.Command;
import io.kalamdb.engine.write.RowOp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One explicit transaction ({@code BEGIN … COMMIT} in one request) under snapshot isolation: its statements read a
 * snapshot of the store taken at BEGIN with the transaction's own staged changes laid over it ({@link #reader()}),
 * and its COMMIT submits one command holding the net change of every row it touched, each UPDATE and DELETE with
 * the {@code _seq} of the snapshot version it replaces, so that the applier rejects the whole command with
 * {@code CONFLICT} if any of those rows was changed by someone else since BEGIN (ADR 0017). Not thread-safe: one
 * request's thread owns it. Must be closed (it pins a snapshot).
 */
public final class Transaction implements AutoCloseable {
    /**
     * The first provisional {@code _seq} of a staged row: above every seq the store hands out (a Snowflake seq of the
     * next few thousand years), so staged rows sort after stored ones by {@code _seq}, in the order they were staged.
     */
    static final long FIRST_PROVISIONAL_SEQ = Long.MAX_VALUE - (1L << 40);

    private final Catalog catalog;
    private final PartitionReader.Snapshot snapshot;
    private final StagedRows staged = new StagedRows();
    private final PartitionReader reader;
    /** Every row touched, in the order first touched, with the snapshot version it replaces (null: none). */
    private final Map<RowKey, Long> touched = new LinkedHashMap<>();
    private long nextSeq = FIRST_PROVISIONAL_SEQ;
    private boolean closed;

    private Transaction(Catalog catalog, PartitionReader.Snapshot snapshot) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.snapshot = requireNonNull(snapshot, "snapshot is null");
        this.reader = new StagedPartitionReader(snapshot, staged);
    }

    /** Opens a transaction over a snapshot of {@code store} taken now. */
    public static Transaction begin(Catalog catalog, PartitionReader store) {
        return new Transaction(catalog, store.snapshot());
    }

    /** What the transaction's statements read: the snapshot taken at BEGIN with the staged changes over it. */
    public PartitionReader reader() {
        return reader;
    }

    /**
     * Stages the row changes of one statement, planned against {@link #reader()}: the next statements see them. An
     * INSERT of a key that holds a live row (stored or staged) fails here with a primary-key violation, as it would
     * at apply.
     */
    public void stage(List<RowOp> ops) {
        for (RowOp op : ops) {
            TableDef table = catalog.table(op.tableId());
            if (table == null) {
                throw new KalamException(KalamErrorCode.TABLE_NOT_FOUND,
                        "table was dropped while the transaction ran [table_id="
                        + op.tableId() + "]");
            }
            if (table.type() == TableType.STREAM) {
                throw new KalamException(KalamErrorCode.OPERATION_NOT_ALLOWED,
                        "stream tables are not supported inside explicit transactions "
                        + "[table=" + table.qualifiedName() + "]");
            }
            byte[] partition = KeyCodec.partitionPrefix(op.tableId(), op.partition());
            switch (op.kind()) {
                case INSERT -> {
                    refuseLive(table, partition, op.pk(), op.row());
                    touch(op, op.pk(), null);
                    staged.put(table, partition, op.pk(), RowCodec.restamp(op.row(), nextSeq++, false));
                }
                case UPDATE -> {
                    byte[] oldPk = op.oldPk() == null ? op.pk() : op.oldPk();
                    byte[] old = reader.get(partition, oldPk);
                    if (old == null || RowCodec.isDeleted(old)) {
                        continue;
                    }
                    touch(op, oldPk, op.expectedSeq() != null ? op.expectedSeq() : RowCodec.seqOf(old));
                    if (op.oldPk() != null) {
                        refuseLive(table, partition, op.pk(), op.row());
                        touch(op, op.pk(), null);
                        staged.put(table, partition, oldPk, RowCodec.restamp(old, nextSeq++, true));
                    }
                    staged.put(table, partition, op.pk(), RowCodec.restamp(op.row(), nextSeq++, false));
                }
                case SOFT_DELETE, HARD_DELETE -> {
                    byte[] current = reader.get(partition, op.pk());
                    if (current == null || RowCodec.isDeleted(current)) {
                        continue;
                    }
                    touch(op, op.pk(), op.expectedSeq() != null ? op.expectedSeq() : RowCodec.seqOf(current));
                    staged.put(table, partition, op.pk(), RowCodec.restamp(current, nextSeq++, true));
                }
            }
        }
    }

    /**
     * Records the snapshot version a row's first change replaces. A row staged already keeps the version recorded
     * then (the later statement read the staged row, not the snapshot).
     */
    private void touch(RowOp op, byte[] pk, Long snapshotSeq) {
        RowKey key = new RowKey(op.tableId(), op.partition(), pk);
        if (!touched.containsKey(key)) {
            // not putIfAbsent: a row first touched by an INSERT is recorded with null, which putIfAbsent replaces
            touched.put(key, snapshotSeq);
        }
    }

    private void refuseLive(TableDef table, byte[] partition, byte[] pk, byte[] row) {
        byte[] current = reader.get(partition, pk);
        if (current != null && !RowCodec.isDeleted(current)) {
            Object value = RowCodec.decode(table, RowCodec.restamp(row, 0, false)).values()[table.primaryKeyIndex()];
            throw new KalamException(KalamErrorCode.PRIMARY_KEY_VIOLATION,
                    "Primary key violation: value '" + value + "' already exists in column '"
                    + table.primaryKey().name() + "'");
        }
    }

    /**
     * The command COMMIT submits: per touched row its net change against the snapshot (an INSERT where the
     * snapshot had no live row, an UPDATE or a soft DELETE with the snapshot version as expected {@code _seq}),
     * nothing for a row inserted and deleted again; null when nothing changed.
     */
    public Command.Rows command() {
        List<RowOp> ops = new ArrayList<>(touched.size());
        for (Map.Entry<RowKey, Long> e : touched.entrySet()) {
            RowKey k = e.getKey();
            Long snapshotSeq = e.getValue();
            byte[] row = staged.get(KeyCodec.partitionPrefix(k.tableId(), k.partition()), k.pk());
            boolean live = row != null && !RowCodec.isDeleted(row);
            if (live && snapshotSeq == null) {
                ops.add(new RowOp(RowOp.Kind.INSERT, k.tableId(), k.partition(), k.pk(), row, null));
            } else if (live) {
                ops.add(new RowOp(RowOp.Kind.UPDATE, k.tableId(), k.partition(), k.pk(), row, null, snapshotSeq));
            } else if (snapshotSeq != null) {
                ops.add(new RowOp(RowOp.Kind.SOFT_DELETE, k.tableId(), k.partition(), k.pk(), null, null,
                        snapshotSeq));
            }
        }
        return ops.isEmpty() ? null : new Command.Rows(ops);
    }

    /** Releases the snapshot; the staged changes are dropped unless {@link #command()} was submitted. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            snapshot.close();
        }
    }

    /** A row by table, partition and primary key, with value equality. */
    private record RowKey(long tableId, String partition, byte[] pk) {
        @Override
        public boolean equals(Object o) {
            return o instanceof RowKey k && tableId == k.tableId && partition.equals(k.partition)
                    && Arrays.equals(pk, k.pk);
        }

        @Override
        public int hashCode() {
            return (Long.hashCode(tableId) * 31 + partition.hashCode()) * 31 + Arrays.hashCode(pk);
        }
    }
}
