package io.kalamdb.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Requests over one blocking keep-alive socket per client: the leanest HTTP/1.1 client, so that on a small
 * machine the load generator takes as little CPU from the server as possible (like pgbench does for PostgreSQL).
 * Understands Content-Length and chunked bodies; reconnects once when the server closed an idle connection.
 */
final class SocketHttpTransport implements Transport {

    private final String host;
    private final int port;
    private final int timeoutMs;

    SocketHttpTransport(URI base, int requestTimeoutSeconds) {
        this.host = base.getHost();
        this.port = base.getPort();
        this.timeoutMs = requestTimeoutSeconds * 1000;
    }

    @Override
    public Channel open() {
        return new SocketChannel();
    }

    @Override
    public String describe() {
        return "socket (one blocking HTTP/1.1 keep-alive socket per client, TCP_NODELAY)";
    }

    @Override
    public void close() {
        // channels close their own sockets
    }

    private final class SocketChannel implements Channel {
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        @Override
        public Response post(String path, String token, String body) throws IOException {
            byte[] payload = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(256)
                    .append("POST ").append(path).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(host).append(':').append(port).append("\r\n")
                    .append("Content-Type: application/json\r\n")
                    .append("Content-Length: ").append(payload.length).append("\r\n");
            if (token != null) {
                head.append("Authorization: Bearer ").append(token).append("\r\n");
            }
            byte[] header = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
            boolean reused = socket != null;
            try {
                return exchange(header, payload);
            } catch (IOException e) {
                close();
                if (!reused) {
                    throw new IOException(e.getMessage() + " (on a new connection)", e);
                }
            }
            try {
                return exchange(header, payload); // the server may have closed an idle keep-alive connection
            } catch (IOException e) {
                close();
                throw new IOException(e.getMessage() + " (a kept-alive connection failed, then a new one too)", e);
            }
        }

        private Response exchange(byte[] header, byte[] payload) throws IOException {
            if (socket == null) {
                connect();
            }
            out.write(header);
            out.write(payload);
            out.flush();
            String statusLine = readLine();
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("bad status line: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            long length = -1;
            boolean chunked = false;
            boolean closeAfter = false;
            for (String line = readLine(); !line.isEmpty(); line = readLine()) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            byte[] body;
            if (chunked) {
                body = readChunked();
            } else if (length >= 0) {
                body = in.readNBytes((int) length);
                if (body.length != length) {
                    throw new EOFException("short body");
                }
            } else {
                body = in.readAllBytes();
                closeAfter = true;
            }
            if (closeAfter) {
                close();
            }
            return new Response(status, new String(body, StandardCharsets.UTF_8));
        }

        private byte[] readChunked() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine();
                int semi = sizeLine.indexOf(';');
                int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    while (!readLine().isEmpty()) {
                        // trailers
                    }
                    return body.toByteArray();
                }
                byte[] chunk = in.readNBytes(size);
                if (chunk.length != size) {
                    throw new EOFException("short chunk");
                }
                body.write(chunk);
                readLine();
            }
        }

        private String readLine() throws IOException {
            StringBuilder line = new StringBuilder(64);
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new EOFException("connection closed by the server");
                }
                if (c == '\n') {
                    int n = line.length();
                    return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
                }
                line.append((char) c);
            }
        }

        private void connect() throws IOException {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.setSoTimeout(timeoutMs);
            s.connect(new InetSocketAddress(host, port), 5000);
            socket = s;
            in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
            out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                socket = null;
            }
        }
    }
}
