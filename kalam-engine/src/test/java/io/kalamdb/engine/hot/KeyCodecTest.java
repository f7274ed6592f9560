package io.kalamdb.engine.hot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Partition prefixes are prefix-free, whatever bytes the partition names hold (NUL included). */
class KeyCodecTest {

    @Test
    void aNameEndingInNulIsNotThePrefixOfALongerName() {
        // with a 0x00 terminator, "a" + NUL and "a" + NUL + "b" collided: "a\0" | 0 was a prefix of "a\0b" | 0 ...
        byte[] shortOne = KeyCodec.partitionPrefix(7, "a");
        byte[] withNul = KeyCodec.partitionPrefix(7, "a\u0000b");
        assertFalse(KeyCodec.startsWith(withNul, shortOne));
        assertFalse(KeyCodec.startsWith(KeyCodec.rowKey(withNul, new byte[] {1}), shortOne));
        assertFalse(KeyCodec.startsWith(KeyCodec.partitionPrefix(7, ""), KeyCodec.partitionPrefix(7, "\u0000")));
        assertFalse(KeyCodec.startsWith(KeyCodec.partitionPrefix(7, "\u0000"), KeyCodec.partitionPrefix(7, "")));
    }

    @Test
    void noPartitionIsAPrefixOfAnotherRandomized() {
        long seed = System.nanoTime();
        System.out.println("KeyCodecTest seed=" + seed);
        Random random = new Random(seed);
        char[] alphabet = {'a', 'b', '\u0000', '\u0001', '\u00ff', '/', 'é', '\uffff'};
        Set<String> names = new HashSet<>();
        while (names.size() < 300) {
            StringBuilder name = new StringBuilder();
            int length = random.nextInt(5);
            for (int i = 0; i < length; i++) {
                name.append(alphabet[random.nextInt(alphabet.length)]);
            }
            names.add(name.toString());
        }
        List<String> list = new ArrayList<>(names);
        for (String a : list) {
            byte[] pa = KeyCodec.partitionPrefix(3, a);
            assertEquals(a, KeyCodec.partitionOf(KeyCodec.rowKey(pa, new byte[] {0, 0, 1})), "seed=" + seed);
            for (String b : list) {
                if (a.equals(b)) {
                    continue;
                }
                byte[] pb = KeyCodec.partitionPrefix(3, b);
                // no key of b's range (prefix + any suffix) starts with a's prefix
                assertFalse(KeyCodec.startsWith(pb, pa), "seed=" + seed + " a=" + escape(a) + " b=" + escape(b));
                assertFalse(KeyCodec.startsWith(KeyCodec.seqKey(pb, 0), pa), "seed=" + seed);
            }
        }
    }

    @Test
    void partitionsOfDifferentTablesNeverOverlap() {
        assertFalse(KeyCodec.startsWith(KeyCodec.partitionPrefix(2, "x"), KeyCodec.tablePrefix(1)));
        assertEquals(true, KeyCodec.startsWith(KeyCodec.partitionPrefix(1, "x"), KeyCodec.tablePrefix(1)));
    }

    @Test
    void overlongPartitionNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> KeyCodec.partitionPrefix(1, "x".repeat(70_000)));
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
