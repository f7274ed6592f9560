package io.kalamdb.engine.hot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kalamdb.engine.catalog.AccessLevel;
import io.kalamdb.engine.catalog.ColumnDef;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.catalog.TableType;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The stored row format is frozen: a fixed row with a value of every type encodes to exactly these bytes, and
 * these bytes decode to that row. A change of any byte (a reordered kind, another payload) fails here; such a
 * change needs a new format version and an ADR, not an edit of the golden value.
 */
class RowCodecGoldenTest {
    private static final HexFormat HEX = HexFormat.of();

    /** Every kind, in stored-code order, with a null column between (nulls are not written). */
    private static final List<ColumnDef> COLUMNS = List.of(
            column(1, KalamType.BOOLEAN), column(2, KalamType.SMALLINT), column(3, KalamType.INT),
            column(4, KalamType.BIGINT), column(5, KalamType.FLOAT), column(6, KalamType.DOUBLE),
            column(7, KalamType.decimal(10, 2)), column(8, KalamType.TEXT), column(9, KalamType.BYTES),
            column(10, KalamType.JSON), column(11, KalamType.TIMESTAMP), column(12, KalamType.DATETIME),
            column(13, KalamType.DATE), column(14, KalamType.TIME), column(15, KalamType.UUID),
            column(300, KalamType.TEXT));
    private static final Object[] VALUES = {true, (short) -2, 100_000, -5L, 1.5f, -0.25, new BigDecimal("12.50"),
        "h\u00e9llo", new byte[] {0, 1, (byte) 0xff}, "{\"a\":1}", 1_700_000_000_123_456L, -1L, 19_700,
        45_296_789_000L, "0190f1c2-7a1b-7cde-8f00-0123456789ab", null};
    private static final long SEQ = 0x0102030405060708L;

    private static final String GOLDEN = String.join("",
            "0102030405060708", "00", "000f", // seq, deleted, 15 values
            "0001" + "00" + "01", // BOOLEAN true
            "0002" + "01" + "fffe", // SMALLINT -2
            "0003" + "02" + "000186a0", // INT 100000
            "0004" + "03" + "fffffffffffffffb", // BIGINT -5
            "0005" + "04" + "3fc00000", // FLOAT 1.5
            "0006" + "05" + "bfd0000000000000", // DOUBLE -0.25
            "0007" + "06" + "00000005" + "31322e3530", // DECIMAL "12.50"
            "0008" + "07" + "00000006" + "68c3a96c6c6f", // TEXT "héllo"
            "0009" + "08" + "00000003" + "0001ff", // BYTES
            "000a" + "09" + "00000007" + "7b2261223a317d", // JSON {"a":1}
            "000b" + "0a" + "00060a2418202240", // TIMESTAMP µs
            "000c" + "0b" + "ffffffffffffffff", // DATETIME -1 µs
            "000d" + "0c" + "00004cf4", // DATE 19700 days
            "000e" + "0d" + "0000000a8be62608", // TIME µs of day
            "000f" + "0e" + "00000024" + HEX.formatHex("0190f1c2-7a1b-7cde-8f00-0123456789ab".getBytes())); // UUID

    @Test
    void aRowOfEveryTypeHasTheseBytes() {
        assertEquals(GOLDEN, HEX.formatHex(RowCodec.encode(COLUMNS, VALUES, SEQ, false)));
    }

    @Test
    void theseBytesDecodeToTheRow() {
        StoredRow row = RowCodec.decode(table(), HEX.parseHex(GOLDEN));
        assertEquals(SEQ, row.seq());
        assertEquals(false, row.deleted());
        for (int i = 0; i < VALUES.length; i++) {
            if (VALUES[i] instanceof byte[] b) {
                assertArrayEquals(b, (byte[]) row.values()[i]);
            } else {
                assertEquals(VALUES[i], row.values()[i], COLUMNS.get(i).name());
            }
        }
        assertNull(row.values()[15]);
        assertEquals(VALUES[7], RowCodec.decodeColumn(table(), HEX.parseHex(GOLDEN), 7));
    }

    @Test
    void theKindCodesAreFrozen() {
        List<String> codes = new ArrayList<>();
        for (KalamType.Kind k : KalamType.Kind.values()) {
            codes.add(k.code() + "=" + k.name());
            assertEquals(k, KalamType.Kind.fromCode(k.code()));
        }
        assertEquals(List.of("0=BOOLEAN", "1=SMALLINT", "2=INT", "3=BIGINT", "4=FLOAT", "5=DOUBLE", "6=DECIMAL",
                "7=TEXT", "8=BYTES", "9=JSON", "10=TIMESTAMP", "11=DATETIME", "12=DATE", "13=TIME", "14=UUID"), codes);
    }

    @Test
    void anUnknownKindCodeIsRefused() {
        byte[] damaged = HEX.parseHex(GOLDEN);
        damaged[13] = 0x7f; // the first value's kind: seq(8) deleted(1) count(2) columnId(2)
        KalamException e = assertThrows(KalamException.class, () -> RowCodec.decode(table(), damaged));
        assertEquals(KalamErrorCode.INTERNAL_ERROR, e.code());
        assertEquals("unknown column type code in stored data [code=127]", e.getMessage());
    }

    private static TableDef table() {
        return new TableDef(1, "g", "golden", TableType.SHARED, COLUMNS, Map.of(), AccessLevel.PUBLIC, null, 1, 301,
                0, 0, List.of());
    }

    private static ColumnDef column(int id, KalamType type) {
        return new ColumnDef(id, "c" + id, type, true, null, id == 4, null);
    }
}
