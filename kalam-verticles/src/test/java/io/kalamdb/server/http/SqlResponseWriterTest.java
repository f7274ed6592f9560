package io.kalamdb.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kalamdb.engine.ColumnInfo;
import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.error.KalamErrorCode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SqlResponseWriterTest {

    @Test
    void rowsResultWithEveryType() {
        List<ColumnInfo> schema = List.of(
                new ColumnInfo("id", KalamType.BIGINT, List.of("pk", "nn", "uq")),
                new ColumnInfo("b", KalamType.BOOLEAN, List.of()),
                new ColumnInfo("s", KalamType.SMALLINT, List.of()),
                new ColumnInfo("i", KalamType.INT, List.of()),
                new ColumnInfo("f", KalamType.FLOAT, List.of()),
                new ColumnInfo("d", KalamType.DOUBLE, List.of()),
                new ColumnInfo("dec", KalamType.decimal(10, 2), List.of()),
                new ColumnInfo("t", KalamType.TEXT, List.of()),
                new ColumnInfo("bytes", KalamType.BYTES, List.of()),
                new ColumnInfo("j", KalamType.JSON, List.of()),
                new ColumnInfo("ts", KalamType.TIMESTAMP, List.of()),
                new ColumnInfo("dt", KalamType.DATETIME, List.of()),
                new ColumnInfo("day", KalamType.DATE, List.of()),
                new ColumnInfo("tod", KalamType.TIME, List.of()),
                new ColumnInfo("u", KalamType.UUID, List.of()));
        Object[] row = {1699000000000000001L, true, (short) 7, 42, 1.5f, 2.25, new BigDecimal("1E+3").setScale(2),
                "hi \"you\"", new byte[] {0, 127, -1}, "{\"a\":1}", 1_700_000_000_123_456L, 5L, 19_000, 3_600_000_000L,
                "0190f5a4-7b1c-7e3a-9d2b-1f2e3d4c5b6a"};
        Object[] nulls = new Object[schema.size()];
        List<Object[]> rows = new ArrayList<>();
        rows.add(row);
        rows.add(nulls);

        String body = SqlResponseWriter.success(List.of(StatementResult.rows(schema, rows, "alice", true)), 3.215)
                .toString();

        assertEquals("{\"status\":\"success\",\"results\":[{\"schema\":["
                + "{\"name\":\"id\",\"data_type\":\"BigInt\",\"index\":0,\"flags\":[\"pk\",\"nn\",\"uq\"]},"
                + "{\"name\":\"b\",\"data_type\":\"Boolean\",\"index\":1},"
                + "{\"name\":\"s\",\"data_type\":\"SmallInt\",\"index\":2},"
                + "{\"name\":\"i\",\"data_type\":\"Int\",\"index\":3},"
                + "{\"name\":\"f\",\"data_type\":\"Float\",\"index\":4},"
                + "{\"name\":\"d\",\"data_type\":\"Double\",\"index\":5},"
                + "{\"name\":\"dec\",\"data_type\":{\"Decimal\":{\"precision\":10,\"scale\":2}},\"index\":6},"
                + "{\"name\":\"t\",\"data_type\":\"Text\",\"index\":7},"
                + "{\"name\":\"bytes\",\"data_type\":\"Bytes\",\"index\":8},"
                + "{\"name\":\"j\",\"data_type\":\"Json\",\"index\":9},"
                + "{\"name\":\"ts\",\"data_type\":\"Timestamp\",\"index\":10},"
                + "{\"name\":\"dt\",\"data_type\":\"DateTime\",\"index\":11},"
                + "{\"name\":\"day\",\"data_type\":\"Date\",\"index\":12},"
                + "{\"name\":\"tod\",\"data_type\":\"Time\",\"index\":13},"
                + "{\"name\":\"u\",\"data_type\":\"Uuid\",\"index\":14}],"
                + "\"rows\":[[\"1699000000000000001\",true,7,42,1.5,2.25,\"1000.00\",\"hi \\\"you\\\"\",[0,127,255],"
                + "\"{\\\"a\\\":1}\",1700000000123456,5,19000,3600000000,\"0190f5a4-7b1c-7e3a-9d2b-1f2e3d4c5b6a\"],"
                + "[null,null,null,null,null,null,null,null,null,null,null,null,null,null,null]],"
                + "\"row_count\":2,\"truncated\":true,\"as_user\":\"alice\"}],\"took\":3.215}", body);
    }

    @Test
    void emptyRowsKeepTheSchemaAndMessagesHaveNone() {
        List<ColumnInfo> schema = List.of(new ColumnInfo("n", KalamType.INT, List.of()));
        String body = SqlResponseWriter.success(List.of(
                StatementResult.rows(schema, List.of(), "bob", false),
                StatementResult.message("Inserted 2 row(s)", 2, "bob")), 0.5).toString();
        assertEquals("{\"status\":\"success\",\"results\":["
                + "{\"schema\":[{\"name\":\"n\",\"data_type\":\"Int\",\"index\":0}],\"rows\":[],\"row_count\":0,"
                + "\"as_user\":\"bob\"},"
                + "{\"row_count\":2,\"message\":\"Inserted 2 row(s)\",\"as_user\":\"bob\"}],\"took\":0.5}", body);
    }

    @Test
    void errorBody() {
        assertEquals("{\"status\":\"error\",\"results\":[],\"took\":1.23,"
                        + "\"error\":{\"code\":\"INVALID_SQL\",\"message\":\"bad \\\"x\\\"\"}}",
                SqlResponseWriter.error(KalamErrorCode.INVALID_SQL, "bad \"x\"", 1.23).toString());
    }

    @Test
    void tookIsRoundedToMicroseconds() {
        double took = SqlResponseWriter.tookMs(System.nanoTime() - 1_234_567);
        assertEquals(took, Math.round(took * 1000) / 1000.0);
    }
}
