package io.kalamdb.engine.hot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.catalog.KalamType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read layer over a real RocksDB store: point reads, key-range bounds (lower inclusive, upper exclusive, never
 * leaking into a neighbouring partition), {@code _seq} scans from a position, partition walks, and snapshots that
 * keep their view while writes land.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HotPartitionReaderTest {
    private static final long TABLE = 7;

    @TempDir
    Path dir;

    private RocksHotStore store;
    private PartitionReader reader;
    private final byte[] u1 = KeyCodec.partitionPrefix(TABLE, "u1");
    private final byte[] u2 = KeyCodec.partitionPrefix(TABLE, "u2");

    @BeforeEach
    void open() {
        store = RocksHotStore.open(dir);
        reader = new HotPartitionReader(store);
        for (long id = 1; id <= 5; id++) {
            put(u1, id, id * 10);
            put(u2, id, id * 10 + 1);
        }
        put(KeyCodec.partitionPrefix(TABLE + 1, "u1"), 3, 5);
        put(KeyCodec.partitionPrefix(TABLE - 1, "u1"), 3, 6);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static byte[] pk(long id) {
        return KeyCodec.encodePk(KalamType.BIGINT, id);
    }

    private static byte[] value(long id, long seq) {
        return (id + "@" + seq).getBytes(StandardCharsets.UTF_8);
    }

    /** Writes a row version as the applier does: the row, and its seq-index entry replacing the old one. */
    private void put(byte[] partition, long id, long seq) {
        byte[] key = KeyCodec.rowKey(partition, pk(id));
        byte[] old = store.get(Space.ROWS, key);
        try (HotStore.Batch batch = store.newBatch()) {
            if (old != null) {
                String text = new String(old, StandardCharsets.UTF_8);
                batch.delete(Space.SEQ_INDEX, KeyCodec.seqKey(partition,
                        Long.parseLong(text.substring(text.indexOf('@') + 1))));
            }
            batch.put(Space.ROWS, key, value(id, seq));
            batch.put(Space.SEQ_INDEX, KeyCodec.seqKey(partition, seq), key);
            store.write(batch);
        }
    }

    private static List<String> read(PartitionReader.RowCursor cursor) {
        List<String> out = new ArrayList<>();
        try (cursor) {
            while (cursor.next()) {
                String v = new String(cursor.value(), StandardCharsets.UTF_8);
                assertEquals(v.substring(0, v.indexOf('@')), KeyCodec.decodePk(KalamType.BIGINT, cursor.pk())
                        .toString(), "pk() is the row's own key");
                out.add(v);
            }
        }
        return out;
    }

    @Test
    void getReadsOneRowOfOnePartition() {
        assertArrayEquals(value(3, 30), reader.get(u1, pk(3)));
        assertArrayEquals(value(3, 31), reader.get(u2, pk(3)));
        assertNull(reader.get(u1, pk(6)));
        assertNull(reader.get(KeyCodec.partitionPrefix(TABLE, "u3"), pk(3)));
    }

    @Test
    void keyRangesAreLowerInclusiveUpperExclusiveAndStayInTheirPartition() {
        assertEquals(List.of("1@10", "2@20", "3@30", "4@40", "5@50"), read(reader.scanKeys(u1, null, null, false)));
        assertEquals(List.of("2@20", "3@30"), read(reader.scanKeys(u1, pk(2), pk(4), false)));
        assertEquals(List.of("2@20", "3@30", "4@40"), read(reader.scanKeys(u1, pk(2),
                PartitionReader.after(pk(4)), false)), "after() makes an upper bound inclusive");
        assertEquals(List.of("2@20", "3@30", "4@40", "5@50"), read(reader.scanKeys(u1,
                PartitionReader.after(pk(1)), null, false)), "and a lower bound exclusive");
        assertEquals(List.of("3@30", "2@20"), read(reader.scanKeys(u1, pk(2), pk(4), true)));
        assertEquals(List.of("5@51", "4@41", "3@31", "2@21", "1@11"), read(reader.scanKeys(u2, null, null, true)),
                "reverse from the end of a partition does not start in the next one");
        assertEquals(List.of(), read(reader.scanKeys(u1, pk(4), pk(4), false)), "an empty range");
        assertEquals(List.of(), read(reader.scanKeys(KeyCodec.partitionPrefix(TABLE, "u"), null, null, false)),
                "a partition whose name prefixes another's holds none of its rows");
    }

    @Test
    void seqScansStartAtAPositionAndSeeOnlyTheLatestVersion() {
        assertEquals(List.of("3@30", "4@40", "5@50"), read(reader.scanSeq(u1, 30, Long.MAX_VALUE, false)));
        assertEquals(List.of("1@10", "2@20"), read(reader.scanSeq(u1, 0, 30, false)));
        assertEquals(List.of("5@50", "4@40", "3@30"), read(reader.scanSeq(u1, 25, Long.MAX_VALUE, true)));
        put(u1, 2, 60);
        assertEquals(List.of("1@10", "3@30", "4@40", "5@50", "2@60"), read(reader.scanSeq(u1, 0, Long.MAX_VALUE,
                false)), "a rewritten row moves to its new seq");
        assertEquals(List.of("2@60"), read(reader.scanSeq(u1, 51, Long.MAX_VALUE, false)), "resume after 50");
    }

    @Test
    void partitionsAreWalkedInKeyOrderWithinTheirTable() {
        List<byte[]> seen = new ArrayList<>();
        for (byte[] p = reader.nextPartition(TABLE, null); p != null; p = reader.nextPartition(TABLE, p)) {
            seen.add(p);
        }
        assertEquals(2, seen.size());
        assertArrayEquals(u1, seen.get(0));
        assertArrayEquals(u2, seen.get(1));
        assertNull(reader.nextPartition(TABLE + 2, null));
    }

    /**
     * A snapshot's cursors keep the view of when the snapshot was taken while another thread adds, rewrites and
     * deletes rows in the middle of the scan; the store itself shows the new state.
     */
    @Test
    void aSnapshotKeepsItsViewWhileWritesLand() throws InterruptedException {
        try (PartitionReader.Snapshot snap = reader.snapshot()) {
            PartitionReader.RowCursor keys = snap.scanKeys(u1, null, null, false);
            PartitionReader.RowCursor seqs = snap.scanSeq(u1, 0, Long.MAX_VALUE, false);
            assertTrue(keys.next());
            assertTrue(seqs.next());
            Thread writer = new Thread(() -> {
                put(u1, 6, 70);
                put(u1, 3, 80);
                put(u1, 0, 90);
                try (HotStore.Batch batch = store.newBatch()) {
                    batch.delete(Space.ROWS, KeyCodec.rowKey(u1, pk(4)));
                    batch.delete(Space.SEQ_INDEX, KeyCodec.seqKey(u1, 40));
                    store.write(batch);
                }
            });
            writer.start();
            writer.join();
            List<String> rest = read(keys);
            assertEquals(List.of("2@20", "3@30", "4@40", "5@50"), rest, "the snapshot's key scan");
            assertEquals(List.of("2@20", "3@30", "4@40", "5@50"), read(seqs), "the snapshot's seq scan");
            assertArrayEquals(value(3, 30), snap.get(u1, pk(3)));
            assertNull(snap.get(u1, pk(6)));
            assertEquals(List.of("1@10", "2@20", "3@30", "4@40", "5@50"), read(snap.scanKeys(u1, null, null, false)),
                    "a new cursor of the same snapshot");
        }
        assertEquals(List.of("0@90", "1@10", "2@20", "3@80", "5@50", "6@70"), read(reader.scanKeys(u1, null, null,
                false)), "the store itself has the writes");
    }
}
