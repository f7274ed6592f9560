package io.kalamdb.server.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Tells whether a request comes from this machine. Only the TCP peer counts: {@code X-Forwarded-For} is ignored,
 * so a remote client cannot pass for localhost (reference 2.2).
 */
final class Localhost {

    private Localhost() {
    }

    static boolean isLocal(HttpServerRequest request) {
        SocketAddress peer = request.remoteAddress();
        if (peer == null || peer.hostAddress() == null) {
            return false;
        }
        return isLoopbackAddress(peer.hostAddress());
    }

    /** Whether an IP literal is a loopback address (127.0.0.0/8, ::1, IPv4-mapped 127.x). */
    static boolean isLoopbackAddress(String ip) {
        if (ip.isEmpty() || !(ip.indexOf(':') >= 0 || Character.isDigit(ip.charAt(0)))) {
            return false; // not an IP literal: never resolve names here
        }
        try {
            return InetAddress.getByName(ip).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
