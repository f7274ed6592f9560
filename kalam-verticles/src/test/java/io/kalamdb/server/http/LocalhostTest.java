package io.kalamdb.server.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LocalhostTest {

    @Test
    void loopbackAddresses() {
        assertTrue(Localhost.isLoopbackAddress("127.0.0.1"));
        assertTrue(Localhost.isLoopbackAddress("127.1.2.3"));
        assertTrue(Localhost.isLoopbackAddress("0:0:0:0:0:0:0:1"));
        assertTrue(Localhost.isLoopbackAddress("::1"));
        assertTrue(Localhost.isLoopbackAddress("::ffff:127.0.0.1"));
    }

    @Test
    void everythingElseIsRemote() {
        assertFalse(Localhost.isLoopbackAddress("10.0.0.5"));
        assertFalse(Localhost.isLoopbackAddress("192.168.1.1"));
        assertFalse(Localhost.isLoopbackAddress("fe80::1"));
        assertFalse(Localhost.isLoopbackAddress("localhost"));
        assertFalse(Localhost.isLoopbackAddress(""));
    }
}
