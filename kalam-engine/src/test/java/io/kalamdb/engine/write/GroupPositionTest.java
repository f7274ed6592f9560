package io.kalamdb.engine.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/** The durable position of a group: contiguous-prefix advance, acked ranges, the stored layout. */
class GroupPositionTest {

    @Test
    void committedAdvancesOnlyOverTheContiguousAckedPrefix() {
        GroupPosition p = GroupPosition.at(-1, 1).withAcked(List.of(4L, 5L, 7L), 2);
        assertEquals(-1, p.committed(), "0..3 are not acknowledged: nothing is committed");
        assertTrue(p.isAcked(4) && p.isAcked(5) && p.isAcked(7));
        assertFalse(p.isAcked(0) || p.isAcked(6) || p.isAcked(8));
        p = p.withAcked(List.of(0L, 1L, 2L, 3L), 3);
        assertEquals(5, p.committed(), "the prefix 0..5 is acknowledged; 6 is the gap");
        assertEquals(1, p.ackedAboveCommitted());
        p = p.withAcked(List.of(6L), 4);
        assertEquals(7, p.committed());
        assertEquals(0, p.ackedAboveCommitted());
    }

    @Test
    void committingNeverMovesBackAndKeepsAckedRangesAbove() {
        GroupPosition p = GroupPosition.at(9, 1).withAcked(List.of(12L, 13L, 3L), 2);
        assertEquals(9, p.committed(), "an ack below the committed offset changes nothing");
        assertEquals(2, p.ackedAboveCommitted());
        assertEquals(9, p.withCommitted(5, 3).committed(), "a commit never moves back");
        GroupPosition c = p.withCommitted(11, 3);
        assertEquals(13, c.committed(), "committing up to the acked range joins it");
    }

    @Test
    void encodingRoundTripsAndReadsTheOldSixteenByteValue() {
        GroupPosition p = GroupPosition.at(2, 7).withAcked(List.of(5L, 6L, 9L, 20L, 21L, 22L), 8);
        GroupPosition back = GroupPosition.decode(p.encode());
        assertTrue(p.samePosition(back));
        assertEquals(8, back.updatedAtMicros());
        assertArrayEquals(ByteBuffer.allocate(16 + 3 * 16).putLong(2).putLong(8).putLong(5).putLong(6).putLong(9)
                .putLong(9).putLong(20).putLong(22).array(), p.encode(), "committed, time, then (from, to) ranges");
        GroupPosition old = GroupPosition.decode(ByteBuffer.allocate(16).putLong(41).putLong(3).array());
        assertEquals(41, old.committed());
        assertEquals(0, old.ackedAboveCommitted());
    }

    @Test
    void randomAckOrdersAgreeWithASetOfOffsets() {
        long seed = System.nanoTime();
        System.out.println("GroupPositionTest seed=" + seed);
        Random random = new Random(seed);
        for (int round = 0; round < 200; round++) {
            List<Long> offsets = new ArrayList<>();
            int n = 1 + random.nextInt(60);
            for (long o = 0; o < n; o++) {
                offsets.add(o);
            }
            Collections.shuffle(offsets, random);
            GroupPosition p = GroupPosition.at(-1, 0);
            TreeSet<Long> model = new TreeSet<>();
            int i = 0;
            while (i < offsets.size()) {
                int k = 1 + random.nextInt(5);
                List<Long> chunk = offsets.subList(i, Math.min(offsets.size(), i + k));
                p = GroupPosition.decode(p.withAcked(chunk, i).encode());
                model.addAll(chunk);
                i += chunk.size();
                long expected = -1;
                while (model.contains(expected + 1)) {
                    expected++;
                }
                assertEquals(expected, p.committed(), "seed=" + seed);
                for (long o = 0; o < n; o++) {
                    assertEquals(model.contains(o), p.isAcked(o), "offset " + o + " seed=" + seed);
                }
            }
            assertEquals(n - 1, p.committed(), "seed=" + seed);
        }
    }
}
