package io.kalamdb.server.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kalamdb.engine.ColumnInfo;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.live.InitialBatch;
import io.kalamdb.engine.live.LiveChange;
import io.kalamdb.engine.write.ChangeEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The frames of reference 3.2 and 3.4, byte for byte where the reference gives them. */
class ServerFramesTest {
    private static final Map<String, KalamType> TYPES = Map.of("id", KalamType.BIGINT, "status", KalamType.TEXT,
            "_seq", KalamType.BIGINT, "_deleted", KalamType.BOOLEAN, "at", KalamType.TIMESTAMP);

    @Test
    void authFrames() {
        assertEquals("{\"type\":\"auth_success\",\"user\":\"alice\",\"role\":\"user\",\"protocol\":{\"serialization\":"
                + "\"json\",\"compression\":\"gzip\"}}", text(ServerFrames.authSuccess("alice", "user",
                WsProtocol.DEFAULT)));
        assertEquals("{\"type\":\"auth_error\",\"message\":\"Invalid credentials\"}",
                text(ServerFrames.authError("Invalid credentials")));
    }

    @Test
    void ackAndInitialBatch() {
        InitialBatch batch = new InitialBatch(List.of(row("1", "open", 12346L)), 0, true, 12346L);
        JsonObject ack = json(ServerFrames.subscriptionAck("orders_live", batch, List.of(
                new ColumnInfo("id", KalamType.BIGINT, List.of("pk", "nn", "uq")),
                new ColumnInfo("price", KalamType.decimal(10, 2), List.of()))));
        assertEquals(new JsonObject("{\"type\":\"subscription_ack\",\"subscription_id\":\"orders_live\","
                + "\"batch_control\":{\"batch_num\":0,\"has_more\":true,\"status\":\"loading\","
                + "\"last_seq_id\":12346},\"schema\":[{\"name\":\"id\",\"data_type\":\"BigInt\",\"index\":0,"
                + "\"flags\":[\"pk\",\"nn\",\"uq\"]},{\"name\":\"price\",\"data_type\":{\"Decimal\":{\"precision\":10,"
                + "\"scale\":2}},\"index\":1}]}"), ack);
        assertEquals("{\"type\":\"initial_data_batch\",\"subscription_id\":\"orders_live\",\"rows\":[{\"id\":\"1\","
                + "\"status\":\"open\",\"_seq\":\"12346\",\"_deleted\":false}],\"batch_control\":{\"batch_num\":0,"
                + "\"has_more\":true,\"status\":\"loading\",\"last_seq_id\":12346}}",
                text(ServerFrames.initialBatch("orders_live", batch, TYPES)));
        JsonObject empty = json(ServerFrames.initialBatch("s", new InitialBatch(List.of(), 0, false, null), TYPES));
        assertEquals(new JsonObject().put("batch_num", 0).put("has_more", false).put("status", "ready")
                .putNull("last_seq_id"), empty.getJsonObject("batch_control"));
    }

    @Test
    void ackCountsTheInitialRowsWhenTheFirstBatchHoldsThemAllAndLeavesTheCountOutOtherwise() {
        List<ColumnInfo> schema = List.of(new ColumnInfo("id", KalamType.BIGINT, List.of("pk", "nn", "uq")));
        InitialBatch all = new InitialBatch(List.of(row("1", "open", 1L), row("2", "open", 2L)), 0, false, 2L);
        assertEquals(2, json(ServerFrames.subscriptionAck("s", all, schema)).getInteger("total_rows"));
        InitialBatch none = new InitialBatch(List.of(), 0, false, null);
        assertEquals(0, json(ServerFrames.subscriptionAck("s", none, schema)).getInteger("total_rows"));
        InitialBatch firstOfMany = new InitialBatch(List.of(row("1", "open", 1L)), 0, true, 1L);
        assertFalse(json(ServerFrames.subscriptionAck("s", firstOfMany, schema)).containsKey("total_rows"),
                "more batches follow: the count is unknown, so it is left out");
    }

    @Test
    void changeFrames() {
        Map<String, Object> now = new LinkedHashMap<>();
        now.put("id", 2L);
        now.put("_seq", 13002L);
        now.put("status", "shipped");
        Map<String, Object> before = new LinkedHashMap<>();
        before.put("id", 2L);
        before.put("_seq", 13001L);
        before.put("status", "open");
        assertEquals("{\"type\":\"change\",\"subscription_id\":\"orders_live\",\"change_type\":\"update\","
                + "\"rows\":[{\"id\":\"2\",\"_seq\":\"13002\",\"status\":\"shipped\"}],"
                + "\"old_values\":[{\"id\":\"2\",\"_seq\":\"13001\",\"status\":\"open\"}]}",
                text(ServerFrames.change("orders_live", new LiveChange(ChangeEvent.Type.UPDATE, List.of(now),
                        List.of(before), 13002L), TYPES)));
        JsonObject delete = json(ServerFrames.change("o", new LiveChange(ChangeEvent.Type.DELETE, null,
                List.of(before), 13003L), TYPES));
        assertEquals("delete", delete.getString("change_type"));
        assertEquals(new JsonArray().add(new JsonObject().put("id", "2").put("_seq", "13001").put("status", "open")),
                delete.getJsonArray("old_values"));
        assertEquals(false, delete.containsKey("rows"));
    }

    @Test
    void errorAndLaggingFrames() {
        assertEquals("{\"type\":\"error\",\"subscription_id\":\"s\",\"code\":\"INVALID_SQL\",\"message\":\"m\"}",
                text(ServerFrames.error("s", "INVALID_SQL", "m")));
        assertEquals("{\"type\":\"error\",\"subscription_id\":\"s\",\"code\":\"SUBSCRIBER_LAGGING\",\"message\":"
                + "\"slow\",\"resume_from\":\"99\"}", text(ServerFrames.lagging("s", "slow", 99)));
    }

    private static Map<String, Object> row(String id, String status, long seq) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", Long.parseLong(id));
        row.put("status", status);
        row.put("_seq", seq);
        row.put("_deleted", false);
        return row;
    }

    private static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }

    private static JsonObject json(byte[] json) {
        return new JsonObject(text(json));
    }
}
