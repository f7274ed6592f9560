package io.kalamdb.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The trivial WebSocket broadcast of the fan-out anchor (BENCHMARKS.md: one 200 B message to 1 k clients),
 * measured in the same run with the same client: a JDK-only RFC 6455 server on 127.0.0.1, one virtual thread
 * per connection; a text message received from any connection is written, by the receiving thread, to every
 * other connection in turn (as one event loop of a trivial Vert.x broadcast would). No auth, no JSON, no store.
 */
final class BroadcastServer implements AutoCloseable {

    private final ServerSocket server;
    private final List<Peer> peers = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean running = true;

    private static final class Peer {
        final Socket socket;
        final OutputStream out;

        Peer(Socket socket) throws IOException {
            this.socket = socket;
            this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
        }

        synchronized void write(byte[] frame) throws IOException {
            out.write(frame);
            out.flush();
        }
    }

    BroadcastServer() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        acceptor = Thread.ofPlatform().name("broadcast-accept").daemon().start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (running) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        Peer peer = null;
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream(), 8192);
            String key = null;
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Sec-WebSocket-Key")) {
                    key = line.substring(colon + 1).trim();
                }
            }
            if (key == null) {
                return;
            }
            peer = new Peer(s);
            peer.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + WsClient.acceptOf(key) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            peers.add(peer);
            while (running) {
                int b0 = in.read();
                int b1 = in.read();
                if (b0 < 0 || b1 < 0) {
                    return;
                }
                long len = b1 & 0x7f;
                if (len == 126) {
                    len = (in.read() << 8) | in.read();
                } else if (len == 127) {
                    len = 0;
                    for (int i = 0; i < 8; i++) {
                        len = (len << 8) | in.read();
                    }
                }
                byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
                byte[] payload = in.readNBytes((int) len);
                if (mask != null) {
                    for (int i = 0; i < payload.length; i++) {
                        payload[i] ^= mask[i & 3];
                    }
                }
                int opcode = b0 & 0x0f;
                if (opcode == 0x8) {
                    return;
                } else if (opcode == 0x9) {
                    peer.write(frame(0xA, payload));
                } else if (opcode == 0x1) {
                    byte[] frame = frame(0x1, payload);
                    for (Peer p : peers) {
                        if (p != peer) {
                            try {
                                p.write(frame);
                            } catch (IOException ignored) {
                                // that peer is gone
                            }
                        }
                    }
                }
            }
        } catch (IOException ignored) {
            // the client closed
        } finally {
            if (peer != null) {
                peers.remove(peer);
            }
        }
    }

    /** A server frame: FIN, opcode, unmasked payload. */
    private static byte[] frame(int opcode, byte[] payload) {
        int n = payload.length;
        int header = n < 126 ? 2 : 4;
        byte[] f = new byte[header + n];
        f[0] = (byte) (0x80 | opcode);
        if (n < 126) {
            f[1] = (byte) n;
        } else {
            f[1] = 126;
            f[2] = (byte) (n >> 8);
            f[3] = (byte) n;
        }
        System.arraycopy(payload, 0, f, header, n);
        return f;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("closed during the upgrade");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        running = false;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Peer p : peers) {
            try {
                p.socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        acceptor.interrupt();
    }
}
