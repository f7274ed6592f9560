package io.kalamdb.engine.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.ColumnDef;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.catalog.NamespaceDef;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.catalog.TableType;
import io.kalamdb.engine.catalog.TopicDef;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.hot.HotPartitionReader;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.hot.KeyCodec;
import io.kalamdb.engine.hot.PartitionReader;
import io.kalamdb.engine.hot.PkEntry;
import io.kalamdb.engine.hot.RocksHotStore;
import io.kalamdb.engine.hot.RowCodec;
import io.kalamdb.engine.hot.Space;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The applier's preconditions on a real RocksDB store: a command planned against a state that changed meanwhile
 * is rejected with {@code CONFLICT}, and nothing of it reaches the store or the catalog.
 */
class ApplierTest {
    @TempDir
    Path dir;

    private RocksHotStore store;
    private Catalog catalog;
    private Applier applier;
    private long index;
    private TableDef table;

    @BeforeEach
    void open() {
        store = RocksHotStore.open(dir);
        catalog = new Catalog();
        applier = new Applier(store, catalog);
        apply(new Command.PutNamespace(new NamespaceDef("app", 1, null), true), 0);
        table = new TableDef(1, "app", "t", TableType.SHARED, List.of(
                new ColumnDef(1, "id", KalamType.BIGINT, false, null, true, null),
                new ColumnDef(2, "n", KalamType.BIGINT, true, null, false, null)), Map.of(), null, null, 1, 3, 1, 1,
                List.of());
        apply(new Command.PutTable(table, true), 0);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private ApplyResult apply(Command c, long firstSeq) {
        return applier.apply(c, ++index, firstSeq);
    }

    private void assertConflict(Command c, String message) {
        long before = applier.appliedIndex();
        KalamException e = assertThrows(KalamException.class, () -> apply(c, 1000));
        assertEquals(KalamErrorCode.CONFLICT, e.code(), e.getMessage());
        assertEquals(true, e.getMessage().contains(message), e.getMessage());
        assertEquals(before + 1, applier.appliedIndex(), "a rejected command still consumes its index");
    }

    private TableDef withColumn(TableDef t, String name) {
        List<ColumnDef> columns = new ArrayList<>(t.columns());
        columns.add(new ColumnDef(t.nextColumnId(), name, KalamType.TEXT, true, null, false, null));
        return t.withColumns(columns, t.nextColumnId() + 1, 2);
    }

    @Test
    void anAlterPlannedAgainstAnOlderSchemaVersionIsRejected() {
        TableDef first = withColumn(table, "a");
        TableDef second = withColumn(table, "b");
        apply(new Command.AlterTable(table.id(), table.schemaVersion(), first), 0);
        assertConflict(new Command.AlterTable(table.id(), table.schemaVersion(), second), "table changed meanwhile");
        assertEquals(first, catalog.table(table.id()), "the first ALTER's column is kept");
        apply(new Command.AlterTable(table.id(), first.schemaVersion(), withColumn(first, "b")), 0);
        assertEquals(List.of("id", "n", "a", "b"), catalog.table(table.id()).columnNames());
    }

    @Test
    void anAlterOfADroppedTableNeverResurrectsIt() {
        apply(new Command.DropTable(table.id()), 0);
        assertConflict(new Command.AlterTable(table.id(), table.schemaVersion(), withColumn(table, "a")),
                "table was dropped meanwhile");
        assertNull(catalog.table(table.id()));
        assertNull(store.get(Space.META, CatalogKeys.table(table.id())));
        assertConflict(new Command.DropTable(table.id()), "table was dropped meanwhile");
    }

    @Test
    void creatingWhatExistsAndChangingWhatIsGoneAreRejected() {
        TableDef twin = new TableDef(2, "app", "T", TableType.SHARED, table.columns(), Map.of(), null, null, 1, 3, 1,
                1, List.of());
        assertConflict(new Command.PutTable(twin, true), "table was created meanwhile");
        assertConflict(new Command.PutNamespace(new NamespaceDef("APP", 1, null), true), "namespace was created");
        assertConflict(new Command.PutNamespace(new NamespaceDef("other", 1, "x"), false), "namespace was dropped");
        assertConflict(new Command.DropNamespace("other"), "namespace was dropped");
        assertThrows(KalamException.class, () -> apply(new Command.PutTable(table, false), 0),
                "a table is never replaced whole");
    }

    @Test
    void topicRoutesChangeOnlyFromTheRoutesTheyWerePlannedOn() {
        TopicDef topic = new TopicDef(1, "app", "events", 1, 60, 1 << 20, List.of(), 1, 1);
        apply(new Command.PutTopic(topic, true), 0);
        TopicDef.Route insert = new TopicDef.Route(table.id(), "app.t", TopicDef.Op.INSERT, null,
                TopicDef.PayloadMode.FULL);
        TopicDef.Route delete = new TopicDef.Route(table.id(), "app.t", TopicDef.Op.DELETE, null,
                TopicDef.PayloadMode.FULL);
        apply(new Command.SetTopicRoutes(topic.id(), List.of(), List.of(insert), 2), 0);
        assertConflict(new Command.SetTopicRoutes(topic.id(), List.of(), List.of(delete), 3), "sources changed");
        apply(new Command.SetTopicRoutes(topic.id(), List.of(insert), List.of(insert, delete), 3), 0);
        assertEquals(List.of(insert, delete), catalog.topic(topic.id()).routes());
        apply(new Command.DropTopic(topic.id()), 0);
        assertConflict(new Command.SetTopicRoutes(topic.id(), List.of(insert, delete), List.of(), 4),
                "topic was dropped");
        assertConflict(new Command.DropTopic(topic.id()), "topic was dropped");
    }

    /** Ids come from a counter the applier persists: an id is never reused, even after a drop and a restart. */
    @Test
    void tableAndTopicIdsAreAssignedAtApplyAndNeverReused() {
        TableDef other = new TableDef(99, "app", "u", TableType.SHARED, table.columns(), Map.of(), null, null, 1, 3,
                1, 1, List.of());
        apply(new Command.PutTable(other, true), 0);
        long uId = catalog.table("app", "u").id();
        assertEquals(table.id() + 1, uId, "the proposer's id is ignored");
        apply(new Command.DropTable(uId), 0);
        Applier reopened = new Applier(store, catalog);
        reopened.apply(new Command.PutTable(other, true), ++index, 0);
        assertEquals(uId + 1, catalog.table("app", "u").id(), "a dropped table's id is not handed out again");
        TopicDef topic = new TopicDef(0, "app", "events", 1, 60, 1 << 20, List.of(), 1, 1);
        reopened.apply(new Command.PutTopic(topic, true), ++index, 0);
        long topicId = catalog.topic("app", "events").id();
        reopened.apply(new Command.DropTopic(topicId), ++index, 0);
        new Applier(store, catalog).apply(new Command.PutTopic(topic, true), ++index, 0);
        assertEquals(topicId + 1, catalog.topic("app", "events").id());
    }

    /** Created times come from the entry's leader time, clamped so that they never go back in log order. */
    @Test
    void createdTimesComeFromTheEntryAndNeverGoBack() {
        TableDef a = new TableDef(0, "app", "a", TableType.SHARED, table.columns(), Map.of(), null, null, 1, 3, 7, 7,
                List.of());
        applier.apply(new LogEntry(++index, 0, 5_000_000, new Command.PutTable(a, true)));
        assertEquals(5_000_000, catalog.table("app", "a").createdAtMicros(), "not the proposer's time");
        TableDef b = new TableDef(0, "app", "b", TableType.SHARED, table.columns(), Map.of(), null, null, 1, 3, 7, 7,
                List.of());
        applier.apply(new LogEntry(++index, 0, 4_000_000, new Command.PutTable(b, true)));
        assertEquals(5_000_000, catalog.table("app", "b").createdAtMicros(), "an earlier leader time is clamped");
        assertEquals(5_000_000, new Applier(store, catalog).entryTimeMicros(), "the clamp survives a restart");
    }

    private RowOp insert(long id, long n) {
        return new RowOp(RowOp.Kind.INSERT, table.id(), "", pk(id), RowCodec.encode(table.columns(),
                new Object[] {id, n}, 0, false), null);
    }

    private RowOp update(long id, long n, long readSeq) {
        return new RowOp(RowOp.Kind.UPDATE, table.id(), "", pk(id), RowCodec.encode(table.columns(),
                new Object[] {id, n}, 0, false), null, readSeq);
    }

    private static byte[] pk(long id) {
        return KeyCodec.encodePk(KalamType.BIGINT, id);
    }

    private byte[] stored(long id) {
        return store.get(Space.ROWS, KeyCodec.rowKey(KeyCodec.partitionPrefix(table.id(), ""), pk(id)));
    }

    /** Two increments read the same version: the second is rejected whole, also its op on another row. */
    @Test
    void anUpdateOfAVersionThatChangedMeanwhileRejectsItsWholeCommand() {
        apply(new Command.Rows(List.of(insert(1, 0), insert(2, 0))), 10);
        long read = RowCodec.seqOf(stored(1));
        apply(new Command.Rows(List.of(update(1, 1, read))), 20);
        byte[] after = stored(1);
        assertConflict(new Command.Rows(List.of(update(2, 5, RowCodec.seqOf(stored(2))), update(1, 1, read))),
                "row changed since it was read");
        assertArrayEquals(after, stored(1), "the first increment stays");
        assertEquals(0L, RowCodec.decode(table, stored(2)).values()[1], "the other row of the rejected command "
                + "is untouched");
        assertConflict(new Command.Rows(List.of(new RowOp(RowOp.Kind.SOFT_DELETE, table.id(), "", pk(1), null, null,
                read))), "row changed since it was read");
        assertNotNull(stored(1));
        assertEquals(false, RowCodec.isDeleted(stored(1)), "a DELETE of an older version deletes nothing");
        apply(new Command.Rows(List.of(new RowOp(RowOp.Kind.SOFT_DELETE, table.id(), "", pk(1), null, null,
                RowCodec.seqOf(stored(1))))), 30);
        assertConflict(new Command.Rows(List.of(update(1, 9, RowCodec.seqOf(stored(1))))),
                "row changed since it was read");
    }

    /**
     * An eviction carries the proposer's cut-off; the rows it removes are those stored below it when it applies,
     * so a row written again since is kept, and it removes no more than its bound.
     */
    @Test
    void anEvictionRemovesRowsBelowItsCutOffAsStoredWhenItApplies() {
        apply(new Command.Rows(List.of(insert(1, 0), insert(2, 0), insert(3, 0))), 100);
        apply(new Command.Rows(List.of(insert(4, 0))), 1_000);
        apply(new Command.Rows(List.of(update(2, 7, RowCodec.seqOf(stored(2))))), 2_000);
        ApplyResult first = apply(new Command.EvictExpired(table.id(), 500, 1), 3_000);
        assertEquals(1, first.deleted(), "at most maxRows");
        assertNull(stored(1));
        ApplyResult second = apply(new Command.EvictExpired(table.id(), 500, 10), 4_000);
        assertEquals(1, second.deleted());
        assertNull(stored(3));
        assertNotNull(stored(2), "rewritten after the cut-off: kept");
        assertNotNull(stored(4), "newer than the cut-off: kept");
        assertEquals(0, apply(new Command.EvictExpired(99, 500, 10), 5_000).deleted(), "a dropped table");
    }

    /** Two ops of one transaction on one row both read the version stored before the transaction. */
    @Test
    void opsOfOneCommandAreCheckedAgainstTheVersionBeforeIt() {
        apply(new Command.Rows(List.of(insert(1, 0))), 10);
        long read = RowCodec.seqOf(stored(1));
        ApplyResult r = apply(new Command.Rows(List.of(update(1, 1, read), update(1, 2, read))), 20);
        assertEquals(2, r.updated());
        assertEquals(2L, RowCodec.decode(table, stored(1)).values()[1]);
    }

    private byte[] rowKey(long id) {
        return KeyCodec.rowKey(KeyCodec.partitionPrefix(table.id(), ""), pk(id));
    }

    private PkEntry pkEntry(long id) {
        return PkEntry.decode(store.get(Space.PK_INDEX, rowKey(id)));
    }

    /** What a flush to a cold tier does to the hot store: the row and its seq-index entry leave it. */
    private byte[] flushOut(long id) {
        byte[] row = stored(id);
        try (HotStore.Batch batch = store.newBatch()) {
            batch.delete(Space.ROWS, rowKey(id));
            batch.delete(Space.SEQ_INDEX, KeyCodec.seqKey(KeyCodec.partitionPrefix(table.id(), ""),
                    RowCodec.seqOf(row)));
            store.write(batch);
        }
        assertNull(stored(id));
        return row;
    }

    private void assertPkViolation(Command c) {
        KalamException e = assertThrows(KalamException.class, () -> apply(c, 5_000));
        assertEquals(true, e.getMessage().contains("Primary key violation"), e.getMessage());
    }

    /** Every version written records its seq in the primary-key space; a hard delete frees the key. */
    @Test
    void thePrimaryKeySpaceFollowsEveryVersionOfAKey() {
        apply(new Command.Rows(List.of(insert(1, 0))), 10);
        assertEquals(new PkEntry(10, false), pkEntry(1));
        apply(new Command.Rows(List.of(update(1, 1, 10))), 20);
        assertEquals(new PkEntry(20, false), pkEntry(1));
        apply(new Command.Rows(List.of(new RowOp(RowOp.Kind.SOFT_DELETE, table.id(), "", pk(1), null, null, 20L))),
                30);
        assertEquals(new PkEntry(30, true), pkEntry(1), "a soft delete keeps the key's entry, marked deleted");
        apply(new Command.Rows(List.of(insert(1, 7))), 40);
        assertEquals(new PkEntry(40, false), pkEntry(1), "a soft-deleted key is free for a new INSERT");
        assertEquals(7L, RowCodec.decode(table, stored(1)).values()[1]);
        try (HotStore.Cursor c = store.scan(Space.SEQ_INDEX, KeyCodec.partitionPrefix(table.id(), ""), false)) {
            int entries = 0;
            while (c.next()) {
                entries++;
                assertEquals(40, KeyCodec.seqOf(c.key()), "only the latest version is in the seq index");
            }
            assertEquals(1, entries);
        }
        apply(new Command.Rows(List.of(update(1, 8, 40), new RowOp(RowOp.Kind.UPDATE, table.id(), "", pk(2),
                RowCodec.encode(table.columns(), new Object[] {2L, 8L}, 0, false), pk(1), null))), 50);
        assertEquals(new PkEntry(52, false), pkEntry(2), "a key change takes the new key");
        assertEquals(new PkEntry(51, true), pkEntry(1), "and leaves the old one soft-deleted");
        apply(new Command.Rows(List.of(new RowOp(RowOp.Kind.HARD_DELETE, table.id(), "", pk(2), null, null))), 60);
        assertNull(pkEntry(2), "a hard delete frees the key");
        apply(new Command.EvictExpired(table.id(), 100, 10), 70);
        assertNull(pkEntry(1), "so does a TTL eviction");
    }

    /**
     * A key stays taken after its row left the hot store (a flush): uniqueness and the expected-version check
     * come from the primary-key space, not from the row.
     */
    @Test
    void aKeyStaysTakenAfterItsRowLeavesTheHotStore() {
        apply(new Command.Rows(List.of(insert(1, 0), insert(2, 0))), 10);
        flushOut(1);
        assertPkViolation(new Command.Rows(List.of(insert(1, 5))));
        assertPkViolation(new Command.Rows(List.of(new RowOp(RowOp.Kind.UPDATE, table.id(), "", pk(1),
                RowCodec.encode(table.columns(), new Object[] {1L, 5L}, 0, false), pk(2), null))));
        assertConflict(new Command.Rows(List.of(update(1, 5, 9))), "current_seq=10");
        assertNull(stored(1), "a refused INSERT writes nothing");
        assertEquals(new PkEntry(10, false), pkEntry(1));
    }

    /**
     * The applier reads rows only through its {@link PartitionReader}: with a reader that also serves rows flushed
     * out of the hot store (as the cold tier will), an UPDATE finds the flushed row and CREATE INDEX indexes it.
     */
    @Test
    void rowReadsAndTheIndexBackfillGoThroughTheReadLayer() {
        apply(new Command.Rows(List.of(insert(1, 3), insert(2, 4), insert(3, 5))), 10);
        apply(new Command.Rows(List.of(new RowOp(RowOp.Kind.SOFT_DELETE, table.id(), "", pk(3), null, null))), 20);
        Map<String, byte[]> cold = new HashMap<>();
        cold.put(HexFormat.of().formatHex(pk(1)), flushOut(1));
        PartitionReader withCold = new ColdOverlay(new HotPartitionReader(store), cold);
        applier = new Applier(store, catalog, withCold, ChangePublisher.NONE);

        ApplyResult r = apply(new Command.Rows(List.of(update(1, 9, 10))), 30);
        assertEquals(1, r.updated(), "the flushed row was found through the reader");
        assertEquals(3L, r.events().get(0).oldRow().values()[1], "the old row came from the cold side");
        assertEquals(9L, RowCodec.decode(table, stored(1)).values()[1]);

        cold.put(HexFormat.of().formatHex(pk(2)), flushOut(2));
        TableDef indexed = table.withIndex(2, 0);
        apply(new Command.AlterTable(table.id(), table.schemaVersion(), indexed), 0);
        List<Long> indexedValues = new ArrayList<>();
        try (HotStore.Cursor c = store.scan(Space.INDEX, KeyCodec.tablePrefix(table.id()), false)) {
            while (c.next()) {
                byte[] key = c.key();
                indexedValues.add((Long) KeyCodec.decodePk(KalamType.BIGINT,
                        java.util.Arrays.copyOfRange(key, key.length - 8, key.length)));
            }
        }
        assertEquals(List.of(2L, 1L), indexedValues, "in index order (n = 4, then 9): "
                +  "rows 1 (hot) and 2 (served by the reader only) are "
                + "indexed, soft-deleted row 3 is not");
    }

    /** A store written before the primary-key space existed gets it built from its rows when it is opened. */
    @Test
    void aStoreWithoutThePrimaryKeySpaceGetsItBuiltOnOpen() {
        apply(new Command.Rows(List.of(insert(1, 0), insert(2, 0))), 10);
        apply(new Command.Rows(List.of(new RowOp(RowOp.Kind.SOFT_DELETE, table.id(), "", pk(2), null, null))), 20);
        try (HotStore.Batch batch = store.newBatch()) {
            batch.deleteRange(Space.PK_INDEX, new byte[] {0}, new byte[] {(byte) 0xff});
            batch.delete(Space.META, "state/pk_index_format".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            store.write(batch);
        }
        assertNull(pkEntry(1));
        store.close();
        store = RocksHotStore.open(dir);
        applier = new Applier(store, catalog);
        assertEquals(new PkEntry(10, false), pkEntry(1));
        assertEquals(new PkEntry(20, true), pkEntry(2));
        flushOut(1);
        assertPkViolation(new Command.Rows(List.of(insert(1, 5))));
        apply(new Command.Rows(List.of(insert(2, 5))), 30);
        assertEquals(new PkEntry(30, false), pkEntry(2));
    }

    /** A reader that serves, besides the hot store, rows kept in a map (keyed by hex primary key). */
    private record ColdOverlay(PartitionReader hot, Map<String, byte[]> cold) implements PartitionReader {
        @Override
        public byte[] get(byte[] partition, byte[] pk) {
            byte[] row = hot.get(partition, pk);
            return row != null ? row : cold.get(HexFormat.of().formatHex(pk));
        }

        @Override
        public RowCursor scanKeys(byte[] partition, byte[] fromPk, byte[] toPk, boolean reverse) {
            Map<String, byte[][]> merged = new HashMap<>();
            cold.forEach((k, v) -> merged.put(k, new byte[][] {HexFormat.of().parseHex(k), v}));
            try (RowCursor c = hot.scanKeys(partition, fromPk, toPk, reverse)) {
                while (c.next()) {
                    merged.put(HexFormat.of().formatHex(c.pk()), new byte[][] {c.pk(), c.value()});
                }
            }
            List<byte[][]> all = new ArrayList<>(merged.values());
            all.sort((a, b) -> java.util.Arrays.compareUnsigned(a[0], b[0]));
            return new RowCursor() {
                private int at = -1;

                @Override
                public boolean next() {
                    return ++at < all.size();
                }

                @Override
                public byte[] pk() {
                    return all.get(at)[0];
                }

                @Override
                public byte[] value() {
                    return all.get(at)[1];
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public RowCursor scanSeq(byte[] partition, long fromSeq, long toSeq, boolean reverse) {
            return hot.scanSeq(partition, fromSeq, toSeq, reverse);
        }

        @Override
        public RowCursor scanIndex(byte[] partition, int columnId, byte[] encodedValue, boolean reverse) {
            return hot.scanIndex(partition, columnId, encodedValue, reverse);
        }

        @Override
        public byte[] nextPartition(long tableId, byte[] afterPartition) {
            return hot.nextPartition(tableId, afterPartition);
        }

        @Override
        public Snapshot snapshot() {
            return hot.snapshot();
        }
    }
}
