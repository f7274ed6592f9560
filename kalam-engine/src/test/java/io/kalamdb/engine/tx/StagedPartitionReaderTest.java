package io.kalamdb.engine.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.catalog.AccessLevel;
import io.kalamdb.engine.catalog.ColumnDef;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.catalog.TableType;
import io.kalamdb.engine.hot.HotPartitionReader;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.hot.KeyCodec;
import io.kalamdb.engine.hot.PartitionReader;
import io.kalamdb.engine.hot.RocksHotStore;
import io.kalamdb.engine.hot.RowCodec;
import io.kalamdb.engine.hot.Space;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staged rows merged over a real RocksDB partition: stored rows 2 ('a'), 4 ('b') and 6 ('a'); staged, 4 becomes
 * 'a', 6 is deleted, 3 ('a') and 8 ('b') are inserted. Every read of the reader shows exactly that state.
 */
class StagedPartitionReaderTest {
    private static final List<ColumnDef> COLUMNS = List.of(
            new ColumnDef(1, "id", KalamType.BIGINT, false, null, true, null),
            new ColumnDef(2, "label", KalamType.TEXT, true, null, false, null));
    private static final TableDef TABLE = new TableDef(7, "n", "t", TableType.SHARED, COLUMNS, Map.of(),
            AccessLevel.PUBLIC, null, 1, 3, 0, 0, List.of(2));
    private static final byte[] PARTITION = KeyCodec.partitionPrefix(7, "");

    @TempDir
    Path dir;
    private RocksHotStore store;
    private PartitionReader reader;

    @BeforeEach
    void open() {
        store = RocksHotStore.open(dir);
        try (HotStore.Batch batch = store.newBatch()) {
            store(batch, 2, "a", 100);
            store(batch, 4, "b", 101);
            store(batch, 6, "a", 102);
            store.write(batch);
        }
        StagedRows staged = new StagedRows();
        long seq = Transaction.FIRST_PROVISIONAL_SEQ;
        staged.put(TABLE, PARTITION, pk(4), row(4, "a", seq++, false));
        staged.put(TABLE, PARTITION, pk(6), row(6, "a", seq++, true));
        staged.put(TABLE, PARTITION, pk(3), row(3, "a", seq++, false));
        staged.put(TABLE, PARTITION, pk(8), row(8, "b", seq, false));
        reader = new StagedPartitionReader(new HotPartitionReader(store), staged);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static byte[] pk(long id) {
        return KeyCodec.encodePk(KalamType.BIGINT, id);
    }

    private static byte[] row(long id, String label, long seq, boolean deleted) {
        return RowCodec.encode(COLUMNS, new Object[] {id, label}, seq, deleted);
    }

    private static void store(HotStore.Batch batch, long id, String label, long seq) {
        byte[] key = KeyCodec.rowKey(PARTITION, pk(id));
        batch.put(Space.ROWS, key, row(id, label, seq, false));
        batch.put(Space.SEQ_INDEX, KeyCodec.seqKey(PARTITION, seq), key);
        byte[] entry = KeyCodec.rowKey(KeyCodec.indexPrefix(PARTITION, 2, KeyCodec.encodePk(KalamType.TEXT, label)),
                pk(id));
        batch.put(Space.INDEX, entry, new byte[0]);
    }

    /** The rows of a cursor as "id:label" ("id:label†" when soft-deleted), checking each pk against its row. */
    private static List<String> read(PartitionReader.RowCursor c) {
        List<String> out = new ArrayList<>();
        try (c) {
            while (c.next()) {
                Object[] values = RowCodec.decode(TABLE, c.value()).values();
                assertEquals(values[0], KeyCodec.decodePk(KalamType.BIGINT, c.pk()), "the cursor's key is its row's");
                out.add(values[0] + ":" + values[1] + (RowCodec.isDeleted(c.value()) ? "†" : ""));
            }
        }
        return out;
    }

    @Test
    void pointReadsPreferTheStagedVersion() {
        assertEquals("b", RowCodec.decode(TABLE, store.get(Space.ROWS, KeyCodec.rowKey(PARTITION, pk(4))))
                .values()[1], "the store still holds the old version");
        assertEquals("a", RowCodec.decode(TABLE, reader.get(PARTITION, pk(4))).values()[1]);
        assertTrue(RowCodec.isDeleted(reader.get(PARTITION, pk(6))));
        assertEquals("a", RowCodec.decode(TABLE, reader.get(PARTITION, pk(2))).values()[1]);
        assertEquals("b", RowCodec.decode(TABLE, reader.get(PARTITION, pk(8))).values()[1]);
        assertNull(reader.get(PARTITION, pk(5)));
    }

    @Test
    void keyScansMergeInKeyOrderBothWays() {
        assertEquals(List.of("2:a", "3:a", "4:a", "6:a†", "8:b"),
                read(reader.scanKeys(PARTITION, null, null, false)));
        assertEquals(List.of("8:b", "6:a†", "4:a", "3:a", "2:a"), read(reader.scanKeys(PARTITION, null, null, true)));
        assertEquals(List.of("3:a", "4:a"), read(reader.scanKeys(PARTITION, pk(3), pk(6), false)));
        assertEquals(List.of("4:a", "3:a"), read(reader.scanKeys(PARTITION, pk(3), pk(6), true)));
        assertEquals(List.of("4:a"), read(reader.scanKeys(PARTITION, pk(4), PartitionReader.after(pk(4)), false)));
        assertEquals(List.of("6:a†", "8:b"), read(reader.scanKeys(PARTITION, pk(5), null, false)));
    }

    @Test
    void indexScansFindStagedValuesAndHideReplacedOnes() {
        byte[] a = KeyCodec.encodePk(KalamType.TEXT, "a");
        byte[] b = KeyCodec.encodePk(KalamType.TEXT, "b");
        assertEquals(List.of("2:a", "3:a", "4:a"), read(reader.scanIndex(PARTITION, 2, a, false)));
        assertEquals(List.of("4:a", "3:a", "2:a"), read(reader.scanIndex(PARTITION, 2, a, true)));
        assertEquals(List.of("8:b"), read(reader.scanIndex(PARTITION, 2, b, false)));
    }

    @Test
    void seqScansPutStagedRowsAfterStoredOnes() {
        assertEquals(List.of("2:a", "4:a", "6:a†", "3:a", "8:b"),
                read(reader.scanSeq(PARTITION, 0, Long.MAX_VALUE, false)));
        assertEquals(List.of("8:b", "3:a", "6:a†", "4:a", "2:a"),
                read(reader.scanSeq(PARTITION, 0, Long.MAX_VALUE, true)));
        assertEquals(List.of("2:a"), read(reader.scanSeq(PARTITION, 0, 1000, false)), "stored seqs only");
    }

    @Test
    void anUntouchedPartitionReadsAsStored() {
        byte[] other = KeyCodec.partitionPrefix(7, "u9");
        assertEquals(List.of(), read(reader.scanKeys(other, null, null, false)));
        assertEquals(PARTITION.length, reader.nextPartition(7, null).length);
    }
}
