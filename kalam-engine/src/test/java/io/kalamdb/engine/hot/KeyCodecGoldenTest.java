package io.kalamdb.engine.hot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kalamdb.engine.catalog.KalamType;

import java.math.BigDecimal;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/**
 * Key bytes are frozen: every key type's encoding and the layout of row, seq and index keys are pinned here byte
 * for byte (ADR 0006). A change of any byte fails here; stored keys would no longer be found.
 */
class KeyCodecGoldenTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void integralAndTimeKeysFlipTheSignBit() {
        golden("7ffffffffffffffb", KalamType.BIGINT, -5L);
        golden("8000000000000000", KalamType.BIGINT, 0L);
        golden("80000000000186a0", KalamType.INT, 100_000);
        golden("7ffffffffffffffe", KalamType.SMALLINT, (short) -2);
        golden("80060a2418202240", KalamType.TIMESTAMP, 1_700_000_000_123_456L);
        golden("7fffffffffffffff", KalamType.DATETIME, -1L);
        golden("8000000000004cf4", KalamType.DATE, 19_700);
        golden("8000000a8be62608", KalamType.TIME, 45_296_789_000L);
    }

    @Test
    void booleanAndFloatingPointKeys() {
        golden("00", KalamType.BOOLEAN, false);
        golden("01", KalamType.BOOLEAN, true);
        golden("bff8000000000000", KalamType.DOUBLE, 1.5);
        golden("4007ffffffffffff", KalamType.DOUBLE, -1.5);
        golden("8000000000000000", KalamType.DOUBLE, -0.0);
        golden("bff8000000000000", KalamType.FLOAT, 1.5f);
    }

    @Test
    void decimalKeysAreSignExponentDigits() {
        KalamType d = KalamType.decimal(10, 4);
        golden("80", d, new BigDecimal("0.0000"));
        golden("81" + "80000002" + "313235" + "00", d, new BigDecimal("12.50"));
        golden("81" + "80000002" + "313235" + "00", d, new BigDecimal("12.5000"));
        golden("7f" + "80000002" + "3935" + "ff", d, new BigDecimal("-0.0015"));
        golden("81" + "80000003" + "31" + "00", d, new BigDecimal("1E+2"));
    }

    @Test
    void textKeysAreUtf16CodeUnitsThenATerminator() {
        golden("00", KalamType.TEXT, "");
        golden("01" + "c1bf" + "00", KalamType.TEXT, "\u0000\u007f");
        // a -> 62; é (U+00E9) -> c3a9; 中 (U+4E2D) -> e4b8ad; 😀 (U+D83D U+DE00) -> eda0bd edb880
        golden("62" + "c3a9" + "e4b8ad" + "eda0bd" + "edb880" + "00", KalamType.TEXT, "a\u00e9\u4e2d\ud83d\ude00");
        golden("7c2362233b327e00", KalamType.JSON, "{\"a\":1}");
        golden("31323a31673264332e386232632e386465662e396731312e3132333435363738393a626300", KalamType.UUID,
                "0190f1c2-7a1b-7cde-8f00-0123456789ab");
    }

    @Test
    void bytesKeysEscapeZero() {
        golden("0000", KalamType.BYTES, new byte[0]);
        golden("00ff" + "01" + "ff" + "0000", KalamType.BYTES, new byte[] {0, 1, (byte) 0xff});
    }

    /**
     * The primary-key space (ADR 0018): its column family, keys laid out as row keys, values the latest version's
     * seq then 0x00 (live) or 0x01 (soft-deleted).
     */
    @Test
    void primaryKeySpaceLayout() {
        assertEquals("pk_index", Space.PK_INDEX.familyName());
        assertEquals("000000000000000701", HEX.formatHex(new PkEntry(7, true).encode()));
        assertEquals("000000000000000700", HEX.formatHex(new PkEntry(7, false).encode()));
        assertEquals("0006000000000a0001", HEX.formatHex(new PkEntry(0x0006_0000_0000_0a00L, true).encode()));
        assertEquals(new PkEntry(0x0006_0000_0000_0a00L, true), PkEntry.decode(HEX.parseHex("0006000000000a0001")));
    }

    @Test
    void rowSeqAndIndexKeyLayout() {
        byte[] partition = KeyCodec.partitionPrefix(0x0102, "u1");
        assertEquals("0000000000000102" + "0002" + "7531", HEX.formatHex(partition));
        byte[] pk = KeyCodec.encodePk(KalamType.BIGINT, 7L);
        assertEquals("000000000000010200027531" + "8000000000000007", HEX.formatHex(KeyCodec.rowKey(partition, pk)));
        assertEquals("000000000000010200027531" + "0000000000000005", HEX.formatHex(KeyCodec.seqKey(partition, 5)));
        byte[] index = KeyCodec.indexPrefix(partition, 3, KeyCodec.encodePk(KalamType.TEXT, "t1"));
        assertEquals("000000000000010200027531" + "0003" + "753200", HEX.formatHex(index));
        assertEquals("000000000000010200027531" + "0003" + "753200" + "8000000000000007",
                HEX.formatHex(KeyCodec.rowKey(index, pk)));
    }

    private static void golden(String hex, KalamType type, Object value) {
        assertEquals(hex, HEX.formatHex(KeyCodec.encodePk(type, value)), type.sqlName() + " " + value);
        Object back = KeyCodec.decodePk(type, HEX.parseHex(hex));
        if (value instanceof BigDecimal d) {
            assertEquals(0, d.compareTo((BigDecimal) back), hex);
        } else if (value instanceof byte[] b) {
            assertEquals(HEX.formatHex(b), HEX.formatHex((byte[]) back));
        } else if (value instanceof Double x && x == 0.0) {
            assertEquals(0.0, (Double) back);
        } else {
            assertEquals(value, back, hex);
        }
    }
}
