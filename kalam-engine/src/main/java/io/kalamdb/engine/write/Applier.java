package io.kalamdb.engine.write;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.ColumnDef;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.catalog.TableType;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.hot.HotPartitionReader;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.hot.KeyCodec;
import io.kalamdb.engine.hot.PartitionReader;
import io.kalamdb.engine.hot.PkEntry;
import io.kalamdb.engine.hot.PkIndex;
import io.kalamdb.engine.hot.RowCodec;
import io.kalamdb.engine.hot.Space;
import io.kalamdb.engine.hot.StoredRow;
import io.kalamdb.engine.util.Json;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies one command in one hot-store batch: rows, their seq-index and primary-key entries and the applied log
 * index together, so a crash leaves all of a command or none of it. Validation that depends on stored state
 * (primary-key uniqueness, existence) happens here, so every replica reaches the same verdict.
 * Not thread-safe: the write log calls it from one thread, in log order.
 *
 * <p>It reads rows only through a {@link PartitionReader} (so a cold tier behind the reader is seen here too) and
 * decides uniqueness and expected versions from the primary-key space ({@link PkIndex}), which outlives a row's
 * stay in the hot store.
 */
public final class Applier {
    static final byte[] APPLIED_INDEX_KEY = "state/applied_index".getBytes(StandardCharsets.UTF_8);
    static final byte[] LAST_TIME_KEY = "state/last_time_micros".getBytes(StandardCharsets.UTF_8);
    static final byte[] NEXT_TABLE_ID_KEY = "state/next_table_id".getBytes(StandardCharsets.UTF_8);
    static final byte[] NEXT_TOPIC_ID_KEY = "state/next_topic_id".getBytes(StandardCharsets.UTF_8);

    private final HotStore store;
    private final Catalog catalog;
    /** Committed rows, as every reader sees them. */
    private final PartitionReader rows;
    private final PkIndex pks;
    private final Object commitLock = new Object();
    private final ChangePublisher publisher;
    private volatile long lastSeq;
    private volatile java.util.function.Consumer<String> userListener = id -> { };
    /** The entry time in effect: the leader's time, never before an earlier entry's (replicated state). */
    private long timeMicros;
    /** Ids for the next CREATE TABLE / CREATE TOPIC: persisted, so an id is never reused after a drop. */
    private long nextTableId;
    private long nextTopicId;

    /**
     * An applier over the store and the catalog loaded from it, reading rows from the hot store, whose row changes
     * feed no topics (tools and tests).
     */
    public Applier(HotStore store, Catalog catalog) {
        this(store, catalog, new HotPartitionReader(store), ChangePublisher.NONE);
    }

    /**
     * An applier that writes to {@code store}, reads committed rows from {@code rows} (which must see every write
     * to the store) and hands every row change to {@code publisher} inside its batch. Builds the primary-key space
     * of a store written before it existed.
     */
    public Applier(HotStore store, Catalog catalog, PartitionReader rows, ChangePublisher publisher) {
        this.store = requireNonNull(store, "store is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.rows = requireNonNull(rows, "rows is null");
        this.publisher = requireNonNull(publisher, "publisher is null");
        this.pks = new PkIndex(store);
        pks.ensureBuilt();
        this.timeMicros = readLong(LAST_TIME_KEY, 0);
        long maxTable = 0;
        for (TableDef t : catalog.tables()) {
            maxTable = Math.max(maxTable, t.id());
        }
        long maxTopic = 0;
        for (var t : catalog.topics()) {
            maxTopic = Math.max(maxTopic, t.id());
        }
        // stores written before the counters existed start after the highest id in use
        this.nextTableId = Math.max(readLong(NEXT_TABLE_ID_KEY, 1), maxTable + 1);
        this.nextTopicId = Math.max(readLong(NEXT_TOPIC_ID_KEY, 1), maxTopic + 1);
    }

    private long readLong(byte[] key, long otherwise) {
        byte[] v = store.get(Space.META, key);
        return v == null ? otherwise : ByteBuffer.wrap(v).getLong();
    }

    private static byte[] longBytes(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    /**
     * Receives the id of a user whose stored record changed in a way that may end its sessions (drop, password,
     * role, lock, re-create), after the change is applied; called on the writer thread, so it must not block.
     */
    public void onUserChanged(java.util.function.Consumer<String> listener) {
        this.userListener = requireNonNull(listener, "listener is null");
    }

    /**
     * A snapshot of the store and the highest {@code _seq} it contains, taken atomically with respect to
     * applies: every row change with a greater seq is published after the snapshot was taken.
     */
    public Boundary boundary() {
        synchronized (commitLock) {
            return new Boundary(store.snapshot(), lastSeq);
        }
    }

    /** A point-in-time snapshot and the last seq it includes. */
    public record Boundary(HotStore.Snapshot snapshot, long seq) {
    }

    /** The index of the last applied command (0 for a new store). */
    public long appliedIndex() {
        byte[] v = store.get(Space.META, APPLIED_INDEX_KEY);
        return v == null ? 0 : ByteBuffer.wrap(v).getLong();
    }

    /** Applies a command at {@code index} with the entry time of the last entry (tests and tools). */
    public ApplyResult apply(Command command, long index, long firstSeq) {
        return apply(new LogEntry(index, firstSeq, timeMicros, command));
    }

    /**
     * Applies one log entry. A command rejected by a precondition or a validation against the stored state (a
     * user error, the same verdict on every replica) still consumes its index: the applied index moves on in a
     * batch of its own, then the rejection is rethrown. A storage failure is rethrown as is.
     */
    public ApplyResult apply(LogEntry entry) {
        long index = entry.index();
        timeMicros = Math.max(timeMicros, entry.leaderTimeMicros());
        try {
            return dispatch(entry.command(), index, entry.firstSeq());
        } catch (KalamException e) {
            if (e.code().category() == io.kalamdb.engine.error.KalamErrorCode.Category.USER_ERROR) {
                putAppliedIndex(index);
            }
            throw e;
        }
    }

    /** The time of the entry being applied, clamped never to go back (what created/updated times use). */
    long entryTimeMicros() {
        return timeMicros;
    }

    private ApplyResult dispatch(Command command, long index, long firstSeq) {
        return switch (command) {
            case Command.Rows rows -> applyRows(rows, index, firstSeq);
            case Command.PutNamespace put -> applyPutNamespace(put, index);
            case Command.DropNamespace drop -> applyDropNamespace(drop, index);
            case Command.PutTable put -> applyPutTable(put, index);
            case Command.AlterTable alter -> applyAlterTable(alter, index);
            case Command.DropTable drop -> applyDropTable(drop, index);
            case Command.PutUser put -> applyPutUser(put, index);
            case Command.SetUserPassword c -> changeUser(c.userId(), index, u -> u.withPasswordHash(c.passwordHash(),
                    c.atMicros()));
            case Command.SetUserRole c -> changeUser(c.userId(), index, u -> u.withRole(c.role(), c.atMicros()));
            case Command.SetUserEmail c -> changeUser(c.userId(), index, u -> u.withEmail(c.email(), c.atMicros()));
            case Command.DropUser c -> changeUser(c.userId(), index, u -> u.deleted(c.atMicros()));
            case Command.SetUserLock c -> changeUser(c.userId(), index, u -> u.withAdminLock(c.lockedUntilMicros(),
                    c.atMicros()));
            case Command.RecordLoginFailure c -> applyLoginFailure(c, index);
            case Command.RecordLoginSuccess c -> applyLoginSuccess(c, index);
            case Command.EvictExpired evict -> applyRows(new Command.Rows(expiredRows(evict)), index, firstSeq);
            case Command.PutTopic put -> applyPutTopic(put, index);
            case Command.SetTopicRoutes routes -> applySetTopicRoutes(routes, index);
            case Command.DropTopic drop -> applyDropTopic(drop, index);
            case Command.TrimTopic trim -> applyTrimTopic(trim, index);
            case Command.CommitOffset commit -> applyCommitOffset(commit, index);
            case Command.AckOffsets ack -> applyAckOffsets(ack, index);
        };
    }

    /**
     * The removals an eviction makes, from the rows stored now (a dropped table evicts nothing): in each partition,
     * the start of its {@code _seq} index up to the cut-off, so no row that stays is read.
     */
    private List<RowOp> expiredRows(Command.EvictExpired evict) {
        List<RowOp> ops = new ArrayList<>();
        if (catalog.table(evict.tableId()) == null) {
            return ops;
        }
        PartitionReader reader = rows;
        for (byte[] p = reader.nextPartition(evict.tableId(), null); p != null && ops.size() < evict.maxRows();
                p = reader.nextPartition(evict.tableId(), p)) {
            try (PartitionReader.RowCursor c = reader.scanSeq(p, 0, evict.beforeSeq(), false)) {
                while (ops.size() < evict.maxRows() && c.next()) {
                    ops.add(new RowOp(RowOp.Kind.HARD_DELETE, evict.tableId(), KeyCodec.partitionOf(p), c.pk(),
                            null, null));
                }
            }
        }
        return ops;
    }

    private ApplyResult applyRows(Command.Rows command, long index, long firstSeq) {
        Map<KeyRef, byte[]> pending = new HashMap<>();
        List<ChangeEvent> events = new ArrayList<>();
        int inserted = 0;
        int updated = 0;
        int deleted = 0;
        long seq = firstSeq;
        try (HotStore.Batch batch = store.newBatch()) {
            for (RowOp op : command.ops()) {
                TableDef table = catalog.table(op.tableId());
                if (table == null) {
                    throw new KalamException(KalamErrorCode.TABLE_NOT_FOUND,
                            "table was dropped while the statement ran [table_id="
                            + op.tableId() + "]");
                }
                byte[] prefix = KeyCodec.partitionPrefix(op.tableId(), op.partition());
                byte[] key = KeyCodec.rowKey(prefix, op.pk());
                switch (op.kind()) {
                    case INSERT -> {
                        PkEntry taken = keyState(pending, key);
                        if (taken != null && taken.isTaken()) {
                            throw pkViolation(table, op.row());
                        }
                        long s = seq++;
                        byte[] value = RowCodec.restamp(op.row(), s, false);
                        write(batch, pending, prefix, key, taken, value, s);
                        inserted++;
                        events.add(new ChangeEvent(table, op.partition(), ChangeEvent.Type.INSERT, null,
                                RowCodec.decode(table, value), s));
                    }
                    case UPDATE -> {
                        byte[] oldKey = op.oldPk() == null ? key : KeyCodec.rowKey(prefix, op.oldPk());
                        checkVersion(table, op, oldKey);
                        byte[] old = read(pending, prefix, op.oldPk() == null ? op.pk() : op.oldPk(), oldKey);
                        if (old == null || RowCodec.isDeleted(old)) {
                            continue;
                        }
                        StoredRow oldRow = RowCodec.decode(table, old);
                        PkEntry target = PkEntry.ofRow(old);
                        if (op.oldPk() != null) {
                            target = keyState(pending, key);
                            if (target != null && target.isTaken()) {
                                throw pkViolation(table, op.row());
                            }
                            long ds = seq++;
                            write(batch, pending, prefix, oldKey, PkEntry.ofRow(old), RowCodec.restamp(old, ds, true),
                                    ds);
                        }
                        long s = seq++;
                        byte[] value = RowCodec.restamp(op.row(), s, false);
                        write(batch, pending, prefix, key, target, value, s);
                        updated++;
                        events.add(new ChangeEvent(table, op.partition(), ChangeEvent.Type.UPDATE, oldRow,
                                RowCodec.decode(table, value), s));
                    }
                    case SOFT_DELETE -> {
                        checkVersion(table, op, key);
                        byte[] current = read(pending, prefix, op.pk(), key);
                        if (current == null || RowCodec.isDeleted(current)) {
                            continue;
                        }
                        long s = seq++;
                        byte[] value = RowCodec.restamp(current, s, true);
                        write(batch, pending, prefix, key, PkEntry.ofRow(current), value, s);
                        deleted++;
                        events.add(new ChangeEvent(table, op.partition(), ChangeEvent.Type.DELETE,
                                RowCodec.decode(table, current), RowCodec.decode(table, value), s));
                    }
                    case HARD_DELETE -> {
                        checkVersion(table, op, key);
                        byte[] current = read(pending, prefix, op.pk(), key);
                        if (current == null) {
                            continue;
                        }
                        batch.delete(Space.ROWS, key);
                        batch.delete(Space.SEQ_INDEX, KeyCodec.seqKey(prefix, RowCodec.seqOf(current)));
                        PkIndex.remove(batch, key);
                        pending.put(new KeyRef(key), TOMBSTONE);
                        deleted++;
                        long s = seq++;
                        events.add(new ChangeEvent(table, op.partition(), ChangeEvent.Type.DELETE,
                                RowCodec.decode(table, current), null, s));
                    }
                }
            }
            java.util.Set<Long> topics = new java.util.HashSet<>();
            try {
                for (ChangeEvent e : events) {
                    maintainIndexes(batch, e);
                    publisher.publish(e, batch, topics);
                }
                putIndex(batch, index);
                synchronized (commitLock) {
                    store.write(batch);
                    lastSeq = Math.max(lastSeq, seq - 1);
                }
            } catch (RuntimeException e) {
                publisher.rollback();
                throw e;
            }
            publisher.commit();
            return new ApplyResult(inserted, updated, deleted, events, topics);
        }
    }

    private static final byte[] TOMBSTONE = new byte[0];

    /**
     * Checks an op's precondition: the committed row at {@code key} (as it was before this command, so that two
     * ops of one transaction on the same row both see the version their statements read) is still the live
     * version the statement read.
     */
    private void checkVersion(TableDef table, RowOp op, byte[] key) {
        if (op.expectedSeq() == null) {
            return;
        }
        PkEntry stored = pks.get(key);
        if (stored == null || stored.deleted() || stored.seq() != op.expectedSeq()) {
            throw KalamException.conflict("row changed since it was read [table=" + table.qualifiedName()
                    + ", read_seq=" + op.expectedSeq() + ", current_seq="
                    + (stored == null || stored.deleted() ? "none" : stored.seq()) + "]");
        }
    }

    /** Keeps secondary indexes on live rows: a change removes the old row's entries and adds the new row's. */
    private static void maintainIndexes(HotStore.Batch batch, ChangeEvent e) {
        TableDef t = e.table();
        if (t.indexedColumnIds().isEmpty()) {
            return;
        }
        byte[] prefix = KeyCodec.partitionPrefix(t.id(), e.partition());
        if (e.oldRow() != null && !e.oldRow().deleted()) {
            indexEntries(t, prefix, e.oldRow(), (k) -> batch.delete(Space.INDEX, k));
        }
        if (e.newRow() != null && !e.newRow().deleted()) {
            indexEntries(t, prefix, e.newRow(), (k) -> batch.put(Space.INDEX, k, EMPTY));
        }
    }

    private static final byte[] EMPTY = new byte[0];

    /** Calls {@code sink} with the index keys of a row (null values are not indexed). */
    static void indexEntries(TableDef t, byte[] partitionPrefix, StoredRow row,
                             java.util.function.Consumer<byte[]> sink) {
        int pkIndex = t.primaryKeyIndex();
        if (pkIndex < 0 || row.values()[pkIndex] == null) {
            return;
        }
        byte[] pk = KeyCodec.encodePk(t.columns().get(pkIndex).type(), row.values()[pkIndex]);
        for (int i = 0; i < t.columns().size(); i++) {
            ColumnDef c = t.columns().get(i);
            Object v = row.values()[i];
            if (v != null && t.indexedColumnIds().contains(c.id())) {
                sink.accept(KeyCodec.rowKey(KeyCodec.indexPrefix(partitionPrefix, c.id(),
                        KeyCodec.encodePk(c.type(), v)), pk));
            }
        }
    }

    /** The row at {@code key} as this command left it so far, else as committed (through the read layer). */
    private byte[] read(Map<KeyRef, byte[]> pending, byte[] prefix, byte[] pk, byte[] key) {
        byte[] p = pending.get(new KeyRef(key));
        if (p != null) {
            return p == TOMBSTONE ? null : p;
        }
        return rows.get(prefix, pk);
    }

    /** The primary-key entry of {@code key} as this command left it so far, else as committed; null when free. */
    private PkEntry keyState(Map<KeyRef, byte[]> pending, byte[] key) {
        byte[] p = pending.get(new KeyRef(key));
        if (p != null) {
            return p == TOMBSTONE ? null : PkEntry.ofRow(p);
        }
        return pks.get(key);
    }

    /** Writes a new version of the row at {@code key}, replacing the seq-index entry of {@code previous}. */
    private static void write(HotStore.Batch batch, Map<KeyRef, byte[]> pending, byte[] prefix, byte[] key,
                              PkEntry previous, byte[] value, long seq) {
        if (previous != null) {
            batch.delete(Space.SEQ_INDEX, KeyCodec.seqKey(prefix, previous.seq()));
        }
        batch.put(Space.ROWS, key, value);
        batch.put(Space.SEQ_INDEX, KeyCodec.seqKey(prefix, seq), key);
        PkIndex.put(batch, key, new PkEntry(seq, RowCodec.isDeleted(value)));
        pending.put(new KeyRef(key), value);
    }

    private static KalamException pkViolation(TableDef table, byte[] row) {
        ColumnDef pk = table.primaryKey();
        Object value = RowCodec.decode(table, RowCodec.restamp(row, 0, false)).values()[table.primaryKeyIndex()];
        return new KalamException(KalamErrorCode.PRIMARY_KEY_VIOLATION,
                "Primary key violation: value '" + value + "' already exists in column '"
                + pk.name() + "'");
    }

    private ApplyResult applyPutNamespace(Command.PutNamespace put, long index) {
        boolean exists = catalog.namespace(put.namespace().name()) != null;
        if (put.create() && exists) {
            throw KalamException.conflict("namespace was created meanwhile [namespace=" + put.namespace().name()
                    + "]");
        }
        if (!put.create() && !exists) {
            throw KalamException.conflict("namespace was dropped meanwhile [namespace=" + put.namespace().name()
                    + "]");
        }
        commitBatch(index, batch -> {
            batch.put(Space.META, CatalogKeys.namespace(put.namespace().name()), Json.write(put.namespace()));
        });
        catalog.putNamespace(put.namespace());
        return ApplyResult.EMPTY;
    }

    private ApplyResult applyDropNamespace(Command.DropNamespace drop, long index) {
        if (catalog.namespace(drop.name()) == null) {
            throw KalamException.conflict("namespace was dropped meanwhile [namespace=" + drop.name() + "]");
        }
        List<TableDef> tables = catalog.tables(drop.name());
        commitBatch(index, batch -> {
            for (TableDef t : tables) {
                deleteTableData(batch, t);
            }
            batch.delete(Space.META, CatalogKeys.namespace(drop.name()));
        });
        for (TableDef t : tables) {
            catalog.removeTable(t.id());
        }
        catalog.removeNamespace(drop.name());
        return ApplyResult.EMPTY;
    }

    private ApplyResult applyPutTable(Command.PutTable put, long index) {
        TableDef t = put.table();
        if (!put.create()) {
            throw KalamException.internal("PutTable only creates tables; changes are AlterTable intents", null);
        }
        if (catalog.table(t.namespace(), t.name()) != null) {
            throw KalamException.conflict("table was created meanwhile [table=" + t.qualifiedName() + "]");
        }
        if (catalog.namespace(t.namespace()) == null) {
            throw KalamException.conflict("namespace was dropped meanwhile [namespace=" + t.namespace() + "]");
        }
        // the id comes from the replicated counter, whatever the proposer put there
        TableDef created = t.withIdentity(nextTableId, timeMicros);
        commitBatch(index, batch -> {
            batch.put(Space.META, CatalogKeys.table(created.id()), Json.write(created));
            batch.put(Space.META, NEXT_TABLE_ID_KEY, longBytes(created.id() + 1));
        });
        nextTableId = created.id() + 1;
        catalog.putTable(created);
        return ApplyResult.EMPTY;
    }

    private ApplyResult applyAlterTable(Command.AlterTable alter, long index) {
        TableDef before = catalog.table(alter.tableId());
        TableDef t = alter.table();
        if (before == null) {
            throw KalamException.conflict("table was dropped meanwhile [table_id=" + alter.tableId() + "]");
        }
        if (before.schemaVersion() != alter.expectedSchemaVersion()) {
            throw KalamException.conflict("table changed meanwhile [table=" + before.qualifiedName()
                    + ", read_version=" + alter.expectedSchemaVersion() + ", current_version="
                    + before.schemaVersion() + "]");
        }
        if (t.id() != before.id() || t.schemaVersion() <= before.schemaVersion()) {
            throw KalamException.internal("an ALTER must keep the table id and raise its schema version [table="
                    + before.qualifiedName() + "]", null);
        }
        TableDef clash = catalog.table(t.namespace(), t.name());
        if (clash != null && clash.id() != t.id()) {
            throw KalamException.conflict("table was created meanwhile [table=" + t.qualifiedName() + "]");
        }
        commitBatch(index, batch -> {
            batch.put(Space.META, CatalogKeys.table(t.id()), Json.write(t));
            if (!before.indexedColumnIds().containsAll(t.indexedColumnIds())) {
                backfillIndexes(batch, t);
            }
        });
        catalog.putTable(t);
        return ApplyResult.EMPTY;
    }

    private ApplyResult applyDropTable(Command.DropTable drop, long index) {
        TableDef t = catalog.table(drop.tableId());
        if (t == null) {
            throw KalamException.conflict("table was dropped meanwhile [table_id=" + drop.tableId() + "]");
        }
        commitBatch(index, batch -> {
            deleteTableData(batch, t);
        });
        catalog.removeTable(t.id());
        return ApplyResult.EMPTY;
    }

    /**
     * Writes the index entries of every live row of a table (CREATE INDEX on a table with rows), reading the rows
     * partition by partition through the read layer.
     */
    private void backfillIndexes(HotStore.Batch batch, TableDef t) {
        for (byte[] p = rows.nextPartition(t.id(), null); p != null; p = rows.nextPartition(t.id(), p)) {
            try (PartitionReader.RowCursor c = rows.scanKeys(p, null, null, false)) {
                while (c.next()) {
                    if (!RowCodec.isDeleted(c.value())) {
                        indexEntries(t, p, RowCodec.decode(t, c.value()), k -> batch.put(Space.INDEX, k, EMPTY));
                    }
                }
            }
        }
    }

    private void deleteTableData(HotStore.Batch batch, TableDef t) {
        byte[] prefix = KeyCodec.tablePrefix(t.id());
        for (Space space : new Space[] {Space.ROWS, Space.SEQ_INDEX, Space.INDEX, Space.PK_INDEX}) {
            try (HotStore.Cursor c = store.scan(space, prefix, false)) {
                while (c.next()) {
                    batch.delete(space, c.key());
                }
            }
        }
        batch.delete(Space.META, CatalogKeys.table(t.id()));
    }

    private ApplyResult applyPutUser(Command.PutUser put, long index) {
        if (!put.create()) {
            throw KalamException.internal("PutUser only creates users; changes are user intents", null);
        }
        UserRecord user = put.user();
        UserRecord existing = catalog.user(user.id());
        if (existing != null && !existing.isDeleted()) {
            throw new KalamException(KalamErrorCode.USER_EXISTS, "User '" + user.id() + "' already exists");
        }
        UserRecord created = existing == null ? user : user.succeeding(existing);
        commitBatch(index, batch -> {
            if (existing != null) {
                purgeUserRows(batch, user.id());
            }
            batch.put(Space.META, CatalogKeys.user(created.id()), Json.write(created));
        });
        catalog.putUser(created);
        if (existing != null) {
            userListener.accept(created.id());
        }
        return ApplyResult.EMPTY;
    }

    /** Deletes every row a dropped user left in USER and STREAM tables (its partitions), in the given batch. */
    private void purgeUserRows(HotStore.Batch batch, String userId) {
        for (TableDef t : catalog.tables()) {
            if (t.type() == TableType.SHARED) {
                continue;
            }
            byte[] prefix = KeyCodec.partitionPrefix(t.id(), userId);
            byte[] end = KeyCodec.prefixUpperBound(prefix);
            for (Space space : new Space[] {Space.ROWS, Space.SEQ_INDEX, Space.INDEX, Space.PK_INDEX}) {
                batch.deleteRange(space, prefix, end);
            }
        }
    }

    /** Applies a change to the stored, live user; fails when there is none. Tells the user listener. */
    private ApplyResult changeUser(String userId, long index, java.util.function.UnaryOperator<UserRecord> change) {
        UserRecord current = catalog.user(userId);
        if (current == null || current.isDeleted()) {
            throw new KalamException(KalamErrorCode.USER_NOT_FOUND, "User '" + userId + "' not found");
        }
        storeUser(change.apply(current), index);
        userListener.accept(userId);
        return ApplyResult.EMPTY;
    }

    private ApplyResult applyLoginFailure(Command.RecordLoginFailure c, long index) {
        UserRecord u = catalog.user(c.userId());
        if (u == null || u.isDeleted() || u.isLockedAt(c.atMicros())) {
            putAppliedIndex(index);
            return ApplyResult.EMPTY;
        }
        boolean lockExpired = u.lockedUntilMicros() != null;
        int failures = (lockExpired ? 0 : u.failedLoginAttempts()) + 1;
        boolean lock = failures >= c.maxFailures();
        storeUser(u.withLogin(failures, lock ? c.atMicros() + c.lockMicros() : null, u.lastLoginAtMicros()), index);
        if (lock) {
            userListener.accept(u.id());
        }
        return ApplyResult.EMPTY;
    }

    private ApplyResult applyLoginSuccess(Command.RecordLoginSuccess c, long index) {
        UserRecord u = catalog.user(c.userId());
        if (u == null || u.isDeleted() || u.tokenGeneration() != c.expectedGeneration()) {
            throw new KalamException(io.kalamdb.engine.error.KalamErrorCode.INVALID_CREDENTIALS,
                    "Invalid credentials");
        }
        if (u.isLockedAt(c.atMicros())) {
            throw new KalamException(io.kalamdb.engine.error.KalamErrorCode.ACCOUNT_LOCKED, "Account locked");
        }
        storeUser(u.withLogin(0, null, c.atMicros()), index);
        return ApplyResult.EMPTY;
    }

    private void storeUser(UserRecord user, long index) {
        commitBatch(index, batch -> batch.put(Space.META, CatalogKeys.user(user.id()), Json.write(user)));
        catalog.putUser(user);
    }

    private void putAppliedIndex(long index) {
        commitBatch(index, batch -> { });
    }

    private ApplyResult applyPutTopic(Command.PutTopic put, long index) {
        var t = put.topic();
        if (!put.create()) {
            throw KalamException.internal("PutTopic only creates topics; route changes are SetTopicRoutes", null);
        }
        if (catalog.topic(t.namespace(), t.name()) != null) {
            throw KalamException.conflict("topic was created meanwhile [topic=" + t.qualifiedName() + "]");
        }
        if (catalog.namespace(t.namespace()) == null) {
            throw KalamException.conflict("namespace was dropped meanwhile [namespace=" + t.namespace() + "]");
        }
        var created = t.withIdentity(nextTopicId, timeMicros);
        commitBatch(index, batch -> {
            batch.put(Space.META, CatalogKeys.topic(created.id()), Json.write(created));
            batch.put(Space.META, NEXT_TOPIC_ID_KEY, longBytes(created.id() + 1));
        });
        nextTopicId = created.id() + 1;
        catalog.putTopic(created);
        return ApplyResult.EMPTY;
    }

    private ApplyResult applySetTopicRoutes(Command.SetTopicRoutes c, long index) {
        var t = catalog.topic(c.topicId());
        if (t == null) {
            throw KalamException.conflict("topic was dropped meanwhile [topic_id=" + c.topicId() + "]");
        }
        if (!t.routes().equals(c.expectedRoutes())) {
            throw KalamException.conflict("topic sources changed meanwhile [topic=" + t.qualifiedName() + "]");
        }
        storeTopic(t.withRoutes(c.routes(), c.atMicros()), index);
        return ApplyResult.EMPTY;
    }

    private void storeTopic(io.kalamdb.engine.catalog.TopicDef t, long index) {
        commitBatch(index, batch -> batch.put(Space.META, CatalogKeys.topic(t.id()), Json.write(t)));
        catalog.putTopic(t);
    }

    private ApplyResult applyDropTopic(Command.DropTopic drop, long index) {
        var t = catalog.topic(drop.topicId());
        if (t == null) {
            throw KalamException.conflict("topic was dropped meanwhile [topic_id=" + drop.topicId() + "]");
        }
        byte[] prefix = io.kalamdb.engine.write.TopicKeys.topicPrefix(t.id());
        byte[] end = io.kalamdb.engine.hot.KeyCodec.prefixUpperBound(prefix);
        commitBatch(index, batch -> {
            batch.deleteRange(Space.TOPIC_MESSAGES, prefix, end);
            batch.deleteRange(Space.TOPIC_OFFSETS, prefix, end);
            for (int p = 0; p < t.partitions(); p++) {
                batch.delete(Space.META, TopicKeys.endMarkKey(t.id(), p));
            }
            batch.delete(Space.META, CatalogKeys.topic(t.id()));
        });
        catalog.removeTopic(t.id());
        publisher.forget(t.id());
        return ApplyResult.EMPTY;
    }

    private ApplyResult applyTrimTopic(Command.TrimTopic trim, long index) {
        var t = catalog.topic(trim.topicId());
        if (t == null) {
            return ApplyResult.EMPTY;
        }
        commitBatch(index, batch -> {
            byte[] from = io.kalamdb.engine.write.TopicKeys.message(t.id(), trim.partition(), 0);
            long end = publisher.nextOffset(t.id(), trim.partition());
            long before = Math.min(trim.beforeOffset(), end);
            batch.deleteRange(Space.TOPIC_MESSAGES, from,
                    io.kalamdb.engine.write.TopicKeys.message(t.id(), trim.partition(), before));
            batch.put(Space.META, TopicKeys.endMarkKey(t.id(), trim.partition()),
                    ByteBuffer.allocate(8).putLong(end).array());
        });
        return ApplyResult.EMPTY;
    }

    private ApplyResult applyCommitOffset(Command.CommitOffset c, long index) {
        return applyGroupPosition(c.topicId(), c.group(), c.partition(), index,
                current -> current == null ? io.kalamdb.engine.write.GroupPosition.at(c.offset(), c.updatedAtMicros())
                        : current.withCommitted(c.offset(), c.updatedAtMicros()));
    }

    private ApplyResult applyAckOffsets(Command.AckOffsets a, long index) {
        return applyGroupPosition(a.topicId(), a.group(), a.partition(), index,
                current -> (current == null ? io.kalamdb.engine.write.GroupPosition.at(-1, a.updatedAtMicros())
                        : current).withAcked(a.offsets(), a.updatedAtMicros()));
    }

    /** Reads a group's stored position, changes it, and writes it back when the position moved. */
    private ApplyResult applyGroupPosition(long topicId, String group, int partition, long index,
            java.util.function.UnaryOperator<io.kalamdb.engine.write.GroupPosition> change) {
        if (catalog.topic(topicId) == null) {
            throw new KalamException(KalamErrorCode.TOPIC_NOT_FOUND, "topic was dropped [topic_id=" + topicId + "]");
        }
        byte[] key = io.kalamdb.engine.write.TopicKeys.committed(topicId, group, partition);
        byte[] stored = store.get(Space.TOPIC_OFFSETS, key);
        var current = stored == null ? null : io.kalamdb.engine.write.GroupPosition.decode(stored);
        var next = change.apply(current);
        if (current != null && current.samePosition(next)) {
            return ApplyResult.EMPTY;
        }
        commitBatch(index, batch -> batch.put(Space.TOPIC_OFFSETS, key, next.encode()));
        return ApplyResult.EMPTY;
    }

    /** Fills one batch, stamps it with the applied log index and writes it (catalog and topic commands). */
    private void commitBatch(long index, java.util.function.Consumer<HotStore.Batch> fill) {
        try (HotStore.Batch batch = store.newBatch()) {
            fill.accept(batch);
            putIndex(batch, index);
            store.write(batch);
        }
    }

    /** Stamps a batch with the applied index and the entry time, which move on together. */
    private void putIndex(HotStore.Batch batch, long index) {
        batch.put(Space.META, APPLIED_INDEX_KEY, longBytes(index));
        batch.put(Space.META, LAST_TIME_KEY, longBytes(timeMicros));
    }

    /** Byte-array key with value equality, for the pending writes of one command. */
    private record KeyRef(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof KeyRef k && java.util.Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }
    }

    /** Whether rows of this table type are soft-deleted (USER, SHARED) or removed (STREAM). */
    public static boolean isSoftDelete(TableType type) {
        return type != TableType.STREAM;
    }
}
