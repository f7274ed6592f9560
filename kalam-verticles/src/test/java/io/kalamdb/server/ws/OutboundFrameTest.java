package io.kalamdb.server.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

class OutboundFrameTest {

    @Test
    void jsonOf512BytesOrMoreIsGzippedIntoABinaryFrame() throws IOException {
        String json = "{\"pad\":\"" + "a".repeat(600) + "\"}";
        OutboundFrame frame = OutboundFrame.of(null, json.getBytes(StandardCharsets.UTF_8), true, 5);
        assertTrue(frame.isBinary());
        assertEquals(0x1f, frame.binary()[0] & 0xff);
        assertEquals(0x8b, frame.binary()[1] & 0xff);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(frame.binary()))) {
            assertEquals(json, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals(5, frame.seq());
    }

    @Test
    void smallFramesAndFramesWithCompressionOffStayText() {
        String small = "{\"type\":\"ping\"}";
        assertEquals(small, OutboundFrame.of(null, small.getBytes(StandardCharsets.UTF_8), true, -1).text());
        String big = "{\"pad\":\"" + "a".repeat(600) + "\"}";
        OutboundFrame off = OutboundFrame.of(null, big.getBytes(StandardCharsets.UTF_8), false, -1);
        assertFalse(off.isBinary());
        assertEquals(big, off.text());
    }
}
