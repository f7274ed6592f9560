package io.kalamdb.bench;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * A minimal RFC 6455 client for many connections at once: one selector thread reads every socket (the JDK's
 * {@code java.net.http.WebSocket} costs a client object, buffers and a few tasks per connection; 10,000 of those
 * would measure the client), frames are written from any thread. Text and binary (gzip'd JSON) messages are
 * handed to a {@link Listener} with the time the bytes were read; Ping frames are answered with Pong, and
 * {@link #startPings} sends a Ping on every open connection periodically (the server closes idle sockets).
 */
final class WsClient implements Closeable {

    /** Receives the messages of every connection, on the selector thread (keep it short). */
    interface Listener {
        void onMessage(Conn conn, String text, long nanos);

        default void onClosed(Conn conn, String why) {
        }
    }

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final String host;
    private final int port;
    private final Selector selector;
    private final Thread loop;
    private final ConcurrentLinkedQueue<Conn> toRegister = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Conn> toFlush = new ConcurrentLinkedQueue<>();
    private final List<Conn> all = new CopyOnWriteArrayList<>();
    private final Semaphore handshakes;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    private volatile boolean running = true;
    private Thread pinger;

    WsClient(String host, int port, int maxHandshakes) throws IOException {
        this.host = host;
        this.port = port;
        this.selector = Selector.open();
        this.handshakes = new Semaphore(maxHandshakes);
        this.loop = Thread.ofPlatform().name("ws-selector").daemon().start(this::run);
    }

    /** One connection: its state, its pending writes, and a slot for the caller's own data. */
    static final class Conn {
        final int id;
        final String path;
        final Listener listener;
        final String key;
        SocketChannel channel;
        SelectionKey selectionKey;
        volatile boolean open;
        volatile boolean closed;
        volatile String closeReason;
        final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
        ByteBuffer in = ByteBuffer.allocate(1024);
        boolean handshakeDone;
        ByteArrayOutputStream fragments;
        int fragmentOpcode;
        final java.util.concurrent.CompletableFuture<Conn> opened = new java.util.concurrent.CompletableFuture<>();
        /** The caller's own per-connection state. */
        volatile Object attachment;

        Conn(int id, String path, Listener listener) {
            this.id = id;
            this.path = path;
            this.listener = listener;
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            this.key = Base64.getEncoder().encodeToString(nonce);
        }

        boolean isOpen() {
            return open && !closed;
        }
    }

    /**
     * Starts a connection to {@code path} (e.g. "/v1/ws?compress=false"); the returned connection's {@code opened}
     * completes after the 101 answer, or fails. Blocks while {@code maxHandshakes} handshakes are in flight.
     */
    Conn connect(int id, String path, Listener listener) throws IOException, InterruptedException {
        if (!handshakes.tryAcquire(30, TimeUnit.SECONDS)) {
            throw new IOException("no WebSocket handshake finished within 30 s");
        }
        Conn c = new Conn(id, path, listener);
        c.opened.whenComplete((v, e) -> handshakes.release());
        try {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.channel = ch;
            ch.connect(new InetSocketAddress(host, port));
        } catch (IOException e) {
            c.opened.completeExceptionally(e);
            throw e;
        }
        all.add(c);
        toRegister.add(c);
        selector.wakeup();
        return c;
    }

    /** Sends a text message (masked, one frame). */
    void sendText(Conn c, String text) throws IOException {
        send(c, frame(0x1, text.getBytes(StandardCharsets.UTF_8)));
    }

    void sendPing(Conn c) throws IOException {
        send(c, frame(0x9, new byte[0]));
    }

    private void send(Conn c, ByteBuffer frame) throws IOException {
        if (c.closed) {
            throw new IOException("connection " + c.id + " is closed" + (c.closeReason == null ? ""
                    : ": " + c.closeReason));
        }
        boolean wake = false;
        synchronized (c) {
            if (c.pending.isEmpty()) {
                c.channel.write(frame);
            }
            if (frame.hasRemaining()) {
                c.pending.add(frame);
                wake = true;
            }
        }
        if (wake) {
            toFlush.add(c);
            selector.wakeup();
        }
    }

    /** A client frame: FIN, opcode, masked payload. */
    private static ByteBuffer frame(int opcode, byte[] payload) {
        int n = payload.length;
        int header = n < 126 ? 2 : n < 65536 ? 4 : 10;
        ByteBuffer b = ByteBuffer.allocate(header + 4 + n);
        b.put((byte) (0x80 | opcode));
        if (n < 126) {
            b.put((byte) (0x80 | n));
        } else if (n < 65536) {
            b.put((byte) (0x80 | 126)).putShort((short) n);
        } else {
            b.put((byte) (0x80 | 127)).putLong(n);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        b.put(mask);
        for (int i = 0; i < n; i++) {
            b.put((byte) (payload[i] ^ mask[i & 3]));
        }
        return b.flip();
    }

    /** Sends a WebSocket Ping on every open connection every {@code seconds}. */
    void startPings(double seconds) {
        pinger = Thread.ofPlatform().name("ws-pinger").daemon().start(() -> {
            long period = (long) (seconds * 1e9);
            while (running) {
                java.util.concurrent.locks.LockSupport.parkNanos(period);
                for (Conn c : all) {
                    if (!running) {
                        return;
                    }
                    if (c.isOpen()) {
                        try {
                            sendPing(c);
                        } catch (IOException | RuntimeException ignored) {
                            // reported by the selector when it closes
                        }
                    }
                }
            }
        });
    }

    List<Conn> connections() {
        return all;
    }

    long openCount() {
        return all.stream().filter(Conn::isOpen).count();
    }

    /** Closes connections (a Close frame 1000 each, then the socket). */
    void close(List<Conn> conns) {
        for (Conn c : conns) {
            closeOne(c);
        }
        all.removeAll(new java.util.HashSet<>(conns));
    }

    private void closeOne(Conn c) {
        if (c.isOpen()) {
            try {
                send(c, closeFrame());
            } catch (IOException | RuntimeException ignored) {
                // closing anyway
            }
        }
        c.closed = true;
        try {
            c.channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static ByteBuffer closeFrame() {
        return frame(0x8, new byte[] {0x03, (byte) 0xE8});
    }

    @Override
    public void close() {
        running = false;
        if (pinger != null) {
            pinger.interrupt();
        }
        for (Conn c : all) {
            c.closed = true;
            try {
                c.channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        all.clear();
        selector.wakeup();
        try {
            loop.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    // ---- the selector thread ----

    private void run() {
        try {
            while (running) {
                selector.select(100);
                for (Conn c; (c = toRegister.poll()) != null; ) {
                    try {
                        c.selectionKey = c.channel.register(selector, SelectionKey.OP_CONNECT, c);
                    } catch (IOException | RuntimeException e) {
                        fail(c, "register: " + e);
                    }
                }
                for (Conn c; (c = toFlush.poll()) != null; ) {
                    if (c.selectionKey != null && c.selectionKey.isValid()) {
                        c.selectionKey.interestOps(c.selectionKey.interestOps() | SelectionKey.OP_WRITE);
                    } else if (!c.closed) {
                        toFlush.add(c); // not registered yet: try after the next select
                        break;
                    }
                }
                for (SelectionKey k : selector.selectedKeys()) {
                    Conn c = (Conn) k.attachment();
                    try {
                        if (!k.isValid()) {
                            continue;
                        }
                        if (k.isConnectable()) {
                            connected(c);
                        }
                        if (k.isValid() && k.isWritable()) {
                            flush(c);
                        }
                        if (k.isValid() && k.isReadable()) {
                            read(c);
                        }
                    } catch (IOException | RuntimeException e) {
                        fail(c, e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (running) {
                System.err.println("ws-selector: " + e);
            }
        }
    }

    private void connected(Conn c) throws IOException {
        c.channel.finishConnect();
        String request = "GET " + c.path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + c.key + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        c.selectionKey.interestOps(SelectionKey.OP_READ);
        send(c, ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
    }

    private void flush(Conn c) throws IOException {
        synchronized (c) {
            while (!c.pending.isEmpty()) {
                ByteBuffer b = c.pending.peek();
                c.channel.write(b);
                if (b.hasRemaining()) {
                    return;
                }
                c.pending.poll();
            }
            c.selectionKey.interestOps(SelectionKey.OP_READ);
        }
    }

    private void read(Conn c) throws IOException {
        readBuffer.clear();
        int n = c.channel.read(readBuffer);
        long now = System.nanoTime();
        if (n < 0) {
            fail(c, c.closeReason != null ? c.closeReason : "connection closed by the server");
            return;
        }
        readBuffer.flip();
        if (c.in.remaining() < n) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(c.in.capacity() * 2, c.in.position() + n + 1024));
            c.in.flip();
            bigger.put(c.in);
            c.in = bigger;
        }
        c.in.put(readBuffer);
        c.in.flip();
        try {
            if (!c.handshakeDone && !handshake(c)) {
                return;
            }
            while (c.handshakeDone && parseFrame(c, now)) {
                // next frame
            }
        } finally {
            c.in.compact();
            if (c.in.position() == 0 && c.in.capacity() > 64 * 1024) {
                c.in = ByteBuffer.allocate(1024); // give a large message's buffer back
            }
        }
    }

    /** Reads the 101 answer; false while its header is incomplete. */
    private boolean handshake(Conn c) throws IOException {
        int end = -1;
        for (int i = c.in.position(); i + 3 < c.in.limit(); i++) {
            if (c.in.get(i) == '\r' && c.in.get(i + 1) == '\n' && c.in.get(i + 2) == '\r' && c.in.get(i + 3) == '\n') {
                end = i + 4;
                break;
            }
        }
        if (end < 0) {
            if (c.in.remaining() > 16 * 1024) {
                throw new IOException("no end of the upgrade answer in 16 KiB");
            }
            return false;
        }
        byte[] head = new byte[end - c.in.position()];
        c.in.get(head);
        String text = new String(head, StandardCharsets.ISO_8859_1);
        String status = text.substring(0, text.indexOf("\r\n"));
        if (!status.matches("HTTP/1\\.1 101.*")) {
            throw new IOException("upgrade refused: " + status + " " + KalamClient.abbreviate(text.replace("\r\n", " | "),
                    400));
        }
        String accept = null;
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Sec-WebSocket-Accept")) {
                accept = line.substring(colon + 1).trim();
            }
        }
        if (!acceptOf(c.key).equals(accept)) {
            throw new IOException("bad Sec-WebSocket-Accept: " + accept);
        }
        c.handshakeDone = true;
        c.open = true;
        c.opened.complete(c);
        return true;
    }

    static String acceptOf(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses one complete frame at the buffer's position; false when it is not complete yet. */
    private boolean parseFrame(Conn c, long now) throws IOException {
        ByteBuffer in = c.in;
        int start = in.position();
        if (in.remaining() < 2) {
            return false;
        }
        int b0 = in.get(start) & 0xff;
        int b1 = in.get(start + 1) & 0xff;
        boolean masked = (b1 & 0x80) != 0;
        long len = b1 & 0x7f;
        int at = start + 2;
        if (len == 126) {
            if (in.limit() < at + 2) {
                return false;
            }
            len = in.getShort(at) & 0xffff;
            at += 2;
        } else if (len == 127) {
            if (in.limit() < at + 8) {
                return false;
            }
            len = in.getLong(at);
            at += 8;
        }
        if (len > 64L * 1024 * 1024) {
            throw new IOException("frame of " + len + " bytes");
        }
        byte[] mask = null;
        if (masked) {
            if (in.limit() < at + 4) {
                return false;
            }
            mask = new byte[4];
            in.get(at, mask);
            at += 4;
        }
        if (in.limit() < at + len) {
            return false;
        }
        byte[] payload = new byte[(int) len];
        in.get(at, payload);
        if (mask != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
        }
        in.position(at + (int) len);
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0f;
        switch (opcode) {
            case 0x0 -> {
                if (c.fragments == null) {
                    throw new IOException("continuation frame without a start");
                }
                c.fragments.write(payload);
                if (fin) {
                    byte[] whole = c.fragments.toByteArray();
                    c.fragments = null;
                    deliver(c, c.fragmentOpcode, whole, now);
                }
            }
            case 0x1, 0x2 -> {
                if (fin) {
                    deliver(c, opcode, payload, now);
                } else {
                    c.fragments = new ByteArrayOutputStream();
                    c.fragments.write(payload);
                    c.fragmentOpcode = opcode;
                }
            }
            case 0x8 -> {
                String reason = "closed by the server";
                if (payload.length >= 2) {
                    reason += ": " + (((payload[0] & 0xff) << 8) | (payload[1] & 0xff))
                            + (payload.length > 2 ? " " + new String(payload, 2, payload.length - 2,
                            StandardCharsets.UTF_8) : "");
                }
                c.closeReason = reason;
                try {
                    send(c, closeFrame());
                } catch (IOException ignored) {
                    // closing anyway
                }
                fail(c, reason);
                return false;
            }
            case 0x9 -> send(c, frame(0xA, payload));
            case 0xA -> {
                // pong
            }
            default -> throw new IOException("unknown opcode " + opcode);
        }
        return true;
    }

    private static void deliver(Conn c, int opcode, byte[] payload, long now) throws IOException {
        String text;
        if (opcode == 0x2 && payload.length > 2 && (payload[0] & 0xff) == 0x1f && (payload[1] & 0xff) == 0x8b) {
            try (InputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(payload))) {
                text = new String(gz.readAllBytes(), StandardCharsets.UTF_8);
            }
        } else {
            text = new String(payload, StandardCharsets.UTF_8);
        }
        c.listener.onMessage(c, text, now);
    }

    private void fail(Conn c, String why) {
        if (c == null) {
            return;
        }
        boolean wasClosed = c.closed;
        c.closed = true;
        if (c.closeReason == null) {
            c.closeReason = why;
        }
        try {
            if (c.selectionKey != null) {
                c.selectionKey.cancel();
            }
            c.channel.close();
        } catch (IOException | CancelledKeyException ignored) {
            // closing anyway
        }
        if (!c.opened.isDone()) {
            c.opened.completeExceptionally(new IOException(why));
        }
        if (!wasClosed && running) {
            c.listener.onClosed(c, why);
        }
    }

    /** A summary of why connections closed (for the report): reason → count, most frequent first. */
    static String reasons(List<String> reasons) {
        java.util.Map<String, Long> counts = new java.util.TreeMap<>();
        for (String r : reasons) {
            counts.merge(r, 1L, Long::sum);
        }
        List<String> out = new ArrayList<>();
        counts.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(3)
                .forEach(e -> out.add(String.format(Locale.ROOT, "%d x %s", e.getValue(), e.getKey())));
        return String.join("; ", out);
    }
}
