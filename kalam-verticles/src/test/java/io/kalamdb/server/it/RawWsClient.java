package io.kalamdb.server.it;

import io.vertx.core.json.JsonObject;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A minimal WebSocket client over a plain socket whose reading the test controls: it reads only when asked, so
 * with a small receive buffer the server soon cannot write to it (a deliberately slow subscriber).
 */
final class RawWsClient implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWsClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 4096));
        this.out = socket.getOutputStream();
    }

    /** Connects and upgrades; {@code receiveBufferBytes} is set before connecting (it bounds the TCP window). */
    static RawWsClient connect(String baseUrl, String path, String bearerToken, int receiveBufferBytes)
            throws IOException {
        URI base = URI.create(baseUrl);
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBufferBytes);
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
        socket.setSoTimeout(10_000);
        RawWsClient client = new RawWsClient(socket);
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + (bearerToken == null ? "" : "Authorization: Bearer " + bearerToken + "\r\n") + "\r\n";
        client.out.write(request.getBytes(StandardCharsets.US_ASCII));
        client.out.flush();
        String status = client.readLine();
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + status);
        }
        while (!client.readLine().isEmpty()) {
            // response headers
        }
        return client;
    }

    /** Sends a text message (thread-safe: a keepalive thread may send too). */
    synchronized void send(JsonObject message) throws IOException {
        sendFrame(0x81, message.encode().getBytes(StandardCharsets.UTF_8)); // FIN + text
    }

    /** Sends several text messages in one write, so that they reach the server back to back. */
    synchronized void sendTogether(JsonObject... messages) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (JsonObject message : messages) {
            all.write(frame(0x81, message.encode().getBytes(StandardCharsets.UTF_8)));
        }
        out.write(all.toByteArray());
        out.flush();
    }

    /** Sends one masked frame whose first byte (FIN, RSV1-3, opcode) is given as is. */
    synchronized void sendFrame(int firstByte, byte[] payload) throws IOException {
        out.write(frame(firstByte, payload));
        out.flush();
    }

    /**
     * Reads until the server closes: the status code of its close frame, or -1 when the connection ended without
     * one. Data frames on the way are skipped; fails when nothing ends the connection within {@code timeoutMs}.
     */
    int awaitClose(int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        try {
            while (true) {
                int b0 = in.read();
                if (b0 < 0) {
                    return -1;
                }
                int b1 = in.readUnsignedByte();
                long length = b1 & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                if ((b0 & 0x0f) == 0x8) {
                    return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                }
            }
        } catch (java.io.EOFException | java.net.SocketException e) {
            return -1;
        }
    }

    private static byte[] frame(int firstByte, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(firstByte);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65_536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xff);
            }
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        return frame.toByteArray();
    }

    /** The next data message as JSON, or null when none arrives within {@code timeoutMs}. */
    JsonObject read(int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        try {
            while (true) {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                long length = b1 & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                int opcode = b0 & 0x0f;
                if (opcode == 0x8) {
                    throw new IOException("closed by the server");
                }
                if (opcode == 0x9 || opcode == 0xA) {
                    continue; // ping, pong
                }
                if (opcode == 0x2) {
                    throw new IOException("unexpected binary frame (connect with compress=false)");
                }
                message.write(payload);
                if ((b0 & 0x80) != 0) {
                    return new JsonObject(message.toString(StandardCharsets.UTF_8));
                }
            }
        } catch (SocketTimeoutException e) {
            if (message.size() > 0) {
                throw new IOException("timed out inside a message", e);
            }
            return null;
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed during the upgrade");
            }
            if (c == '\n') {
                int n = line.length();
                return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
            }
            line.append((char) c);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
