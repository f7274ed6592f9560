package io.kalamdb.server.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kalamdb.engine.live.SubscribeOptions;

import org.junit.jupiter.api.Test;

class ClientMessageTest {

    @Test
    void parsesEveryClientMessageOfReference33() {
        ClientMessage.Authenticate auth = assertInstanceOf(ClientMessage.Authenticate.class, ClientMessage.parse(
                "{\"type\":\"authenticate\",\"method\":\"jwt\",\"token\":\"t\",\"protocol\":{\"serialization\":"
                        + "\"json\",\"compression\":\"none\"}}"));
        assertEquals("t", auth.token());
        assertEquals(new WsProtocol("json", "none"), WsProtocol.of(auth.protocol()));
        assertEquals(WsProtocol.DEFAULT, WsProtocol.of(((ClientMessage.Authenticate) ClientMessage.parse(
                "{\"type\":\"authenticate\",\"token\":\"t\"}")).protocol()));

        ClientMessage.Subscribe sub = assertInstanceOf(ClientMessage.Subscribe.class, ClientMessage.parse(
                "{\"type\":\"subscribe\",\"subscription\":{\"id\":\"s\",\"sql\":\"SELECT * FROM a.b\","
                        + "\"options\":{\"batch_size\":10,\"last_rows\":5,\"from\":\"42\"}}}"));
        assertEquals("s", sub.id());
        assertEquals(new SubscribeOptions(5, 10, 42L), sub.options());
        assertEquals(new SubscribeOptions(null, null, 7L), ((ClientMessage.Subscribe) ClientMessage.parse(
                "{\"type\":\"subscribe\",\"subscription\":{\"id\":\"s\",\"sql\":\"x\",\"options\":"
                        + "{\"from_seq_id\":7}}}")).options());
        assertEquals(SubscribeOptions.defaults(), ((ClientMessage.Subscribe) ClientMessage.parse(
                "{\"type\":\"subscribe\",\"subscription\":{\"id\":\"s\",\"sql\":\"x\"}}")).options());

        assertEquals(new ClientMessage.NextBatch("s", 12L), ClientMessage.parse(
                "{\"type\":\"next_batch\",\"subscription_id\":\"s\",\"last_seq_id\":12}"));
        assertNull(((ClientMessage.NextBatch) ClientMessage.parse(
                "{\"type\":\"next_batch\",\"subscription_id\":\"s\"}")).lastSeqId());
        assertEquals(new ClientMessage.Unsubscribe("s"), ClientMessage.parse(
                "{\"type\":\"unsubscribe\",\"subscription_id\":\"s\"}"));
        assertEquals(new ClientMessage.Ping(), ClientMessage.parse("{\"type\":\"ping\"}"));
    }

    @Test
    void textThatIsNoMessageIsMalformed() {
        assertThrows(ClientMessage.Malformed.class, () -> ClientMessage.parse("{not json"));
        assertThrows(ClientMessage.Malformed.class, () -> ClientMessage.parse("[1,2]"));
        assertThrows(ClientMessage.Malformed.class, () -> ClientMessage.parse("{\"kind\":\"ping\"}"));
        assertThrows(ClientMessage.Malformed.class, () -> ClientMessage.parse("{\"type\":3}"));
    }

    @Test
    void badMessagesAreRejectedWithTheirCodeAndSubscriptionId() {
        assertRejected("{\"type\":\"teleport\"}", "protocol", "PROTOCOL", "teleport");
        assertRejected("{\"type\":\"subscribe\"}", "subscribe", "PROTOCOL", "subscribe");
        assertRejected("{\"type\":\"subscribe\",\"subscription\":{\"id\":\" \",\"sql\":\"x\"}}",
                "invalid_subscription", "INVALID_SUBSCRIPTION_ID", "subscribe");
        assertRejected("{\"type\":\"subscribe\",\"subscription\":{\"id\":\"s\"}}", "s", "INVALID_SQL", "subscribe");
        assertRejected("{\"type\":\"subscribe\",\"subscription\":{\"id\":\"s\",\"sql\":\"x\",\"options\":"
                + "{\"batch_size\":\"ten\"}}}", "s", "PROTOCOL", "subscribe");
        assertRejected("{\"type\":\"next_batch\",\"subscription_id\":\"s\",\"last_seq_id\":1.5}", "protocol",
                "PROTOCOL", "next_batch");
    }

    private static void assertRejected(String text, String subscriptionId, String code, String type) {
        ClientMessage.Rejected e = assertThrows(ClientMessage.Rejected.class, () -> ClientMessage.parse(text));
        assertEquals(subscriptionId, e.subscriptionId(), text);
        assertEquals(code, e.code(), text);
        assertEquals(type, e.messageType(), text);
    }
}
