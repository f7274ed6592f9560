package io.kalamdb.engine.topic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kalamdb.engine.catalog.TopicDef;
import io.kalamdb.engine.error.KalamException;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** The stored topic message value is frozen byte for byte (ADR 0006), with the op as its byte code. */
class TopicMessageGoldenTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String GOLDEN = String.join("",
            "00000002", "6b31", // key "k1"
            "00000003", "7b7d0a", // payload
            "0000018bcfe56800", // timestamp ms
            "00000005", "616c696365", // user id "alice"
            "01"); // op UPDATE
    private static final String NULLS_GOLDEN = "ffffffff" + "00000000" + "0000000000000000" + "ffffffff" + "02";

    @Test
    void aMessageHasTheseBytes() {
        TopicMessage m = new TopicMessage("chat.events", 3, 42, "k1", "{}\n".getBytes(StandardCharsets.UTF_8),
                1_700_000_000_000L, "alice", TopicDef.Op.UPDATE);
        assertEquals(GOLDEN, HEX.formatHex(m.encodeValue()));
        TopicMessage back = TopicMessage.decode("chat.events", 3, 42, HEX.parseHex(GOLDEN));
        assertEquals("k1", back.key());
        assertArrayEquals(m.payload(), back.payload());
        assertEquals(1_700_000_000_000L, back.timestampMs());
        assertEquals("alice", back.userId());
        assertEquals(TopicDef.Op.UPDATE, back.op());

        TopicMessage empty = new TopicMessage("t", 0, 0, null, new byte[0], 0, null, TopicDef.Op.DELETE);
        assertEquals(NULLS_GOLDEN, HEX.formatHex(empty.encodeValue()));
        assertNull(TopicMessage.decode("t", 0, 0, HEX.parseHex(NULLS_GOLDEN)).key());
    }

    @Test
    void opCodesAreFrozenAndUnknownCodesRefused() {
        assertEquals(0, TopicDef.Op.INSERT.code());
        assertEquals(1, TopicDef.Op.UPDATE.code());
        assertEquals(2, TopicDef.Op.DELETE.code());
        assertEquals(3, TopicDef.Op.values().length, "a new op needs a new code here and in ADR 0006");
        KalamException e = assertThrows(KalamException.class,
                () -> TopicMessage.decode("t", 0, 0, HEX.parseHex(NULLS_GOLDEN.substring(0, 40) + "09")));
        assertEquals("unknown topic message op code in stored data [code=9]", e.getMessage());
    }
}
