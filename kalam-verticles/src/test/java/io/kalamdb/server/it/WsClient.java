package io.kalamdb.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A live-query WebSocket client for integration tests (the JDK's {@link WebSocket}, loopback only): frames
 * arrive in a queue as JSON objects (binary frames are gunzipped), with bounded waits on them.
 */
public final class WsClient implements WebSocket.Listener, AutoCloseable {
    public static final long WAIT_MS = 8_000;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A received frame: its JSON and whether it came binary (gzip'd). */
    public record Frame(JsonObject json, boolean binary, int wireBytes) {
    }

    private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<int[]> closed = new CompletableFuture<>();
    private final CompletableFuture<String> closeReason = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private final List<String> pongs = new ArrayList<>();
    private final java.util.ArrayDeque<Frame> backlog = new java.util.ArrayDeque<>();
    private WebSocket socket;

    private WsClient() {
    }

    /** Connects to {@code baseUrl + path} (http → ws), with extra upgrade headers (name, value, …). */
    public static WsClient connect(String baseUrl, String path, String... headers) {
        WsClient client = new WsClient();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        try {
            client.socket = builder.buildAsync(URI.create(baseUrl.replaceFirst("^http", "ws") + path), client)
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("WebSocket connect failed: " + path, e);
        }
        return client;
    }

    /** Connects and authenticates in-band; asserts {@code auth_success}. */
    public static WsClient authenticated(String baseUrl, String token) {
        WsClient client = connect(baseUrl, "/v1/ws");
        client.send(new JsonObject().put("type", "authenticate").put("method", "jwt").put("token", token)
                .put("protocol", new JsonObject().put("serialization", "json").put("compression", "gzip")));
        JsonObject reply = client.next();
        assertEquals("auth_success", reply.getString("type"), reply.encode());
        return client;
    }

    public void send(JsonObject message) {
        sendText(message.encode());
    }

    /** Sends a text message (thread-safe: the JDK allows one outstanding send, so sends are serialized). */
    public synchronized void sendText(String message) {
        socket.sendText(message, true).join();
    }

    public synchronized void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    public synchronized void ping() {
        socket.sendPing(ByteBuffer.wrap("hb".getBytes(StandardCharsets.UTF_8))).join();
    }

    /** Sends {@code subscribe}; options may be null. */
    public void subscribe(String id, String sql, JsonObject options) {
        JsonObject sub = new JsonObject().put("id", id).put("sql", sql);
        if (options != null) {
            sub.put("options", options);
        }
        send(new JsonObject().put("type", "subscribe").put("subscription", sub));
    }

    /**
     * Subscribes and collects the initial rows (sending next_batch while has_more); asserts the ack and returns
     * the rows of every batch.
     */
    public List<JsonObject> subscribeAndLoad(String id, String sql, JsonObject options) {
        subscribe(id, sql, options);
        JsonObject ack = nextFor(id);
        assertEquals("subscription_ack", ack.getString("type"), ack.encode());
        List<JsonObject> rows = new ArrayList<>();
        while (true) {
            JsonObject batch = nextFor(id);
            assertEquals("initial_data_batch", batch.getString("type"), batch.encode());
            batch.getJsonArray("rows").forEach(r -> rows.add((JsonObject) r));
            JsonObject control = batch.getJsonObject("batch_control");
            if (!control.getBoolean("has_more")) {
                return rows;
            }
            send(new JsonObject().put("type", "next_batch").put("subscription_id", id)
                    .put("last_seq_id", control.getLong("last_seq_id")));
        }
    }

    /** The next frame (bounded wait). */
    public JsonObject next() {
        return nextFrame(f -> true, WAIT_MS).json();
    }

    /** The next frame of one subscription; frames of other subscriptions stay for later reads. */
    public JsonObject nextFor(String subscriptionId) {
        return next(f -> subscriptionId.equals(f.getString("subscription_id")));
    }

    /** The next frame matching; the others stay, in order, for later reads (bounded wait). */
    public JsonObject next(Predicate<JsonObject> wanted) {
        return nextFrame(wanted, WAIT_MS).json();
    }

    public Frame nextFrame(Predicate<JsonObject> wanted, long waitMs) {
        Frame frame = poll(wanted, waitMs);
        assertNotNull(frame, "no frame within " + waitMs + " ms (closed: " + isClosed() + " " + closeReason() + ")");
        return frame;
    }

    /** The next frame matching within the wait, or null. */
    public Frame poll(Predicate<JsonObject> wanted, long waitMs) {
        synchronized (backlog) {
            return pollLocked(wanted, waitMs);
        }
    }

    private Frame pollLocked(Predicate<JsonObject> wanted, long waitMs) {
        for (java.util.Iterator<Frame> it = backlog.iterator(); it.hasNext(); ) {
            Frame frame = it.next();
            if (wanted.test(frame.json())) {
                it.remove();
                return frame;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                Frame frame = left <= 0 ? frames.poll() : frames.poll(left, TimeUnit.NANOSECONDS);
                if (frame == null) {
                    return null;
                }
                if (wanted.test(frame.json())) {
                    return frame;
                }
                backlog.add(frame);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Any frame within the wait, or null. */
    public Frame poll(long waitMs) {
        return poll(f -> true, waitMs);
    }

    /** The close code and reason the server sent (bounded wait). */
    public int awaitClose() {
        try {
            return closed.get(WAIT_MS, TimeUnit.MILLISECONDS)[0];
        } catch (Exception e) {
            throw new AssertionError("the server did not close the socket within " + WAIT_MS + " ms", e);
        }
    }

    public String closeReason() {
        return closeReason.getNow(null);
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    public List<String> pongs() {
        synchronized (pongs) {
            return List.copyOf(pongs);
        }
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }

    // ---------- listener ----------

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            String whole = text.toString();
            text.setLength(0);
            frames.add(new Frame(new JsonObject(whole), false, whole.getBytes(StandardCharsets.UTF_8).length));
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        binary.writeBytes(chunk);
        if (last) {
            byte[] all = binary.toByteArray();
            binary.reset();
            frames.add(new Frame(new JsonObject(gunzip(all)), true, all.length));
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        synchronized (pongs) {
            pongs.add(StandardCharsets.UTF_8.decode(message).toString());
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason.complete(reason);
        closed.complete(new int[] {statusCode});
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeReason.complete("error: " + error);
        closed.complete(new int[] {-1});
    }

    static String gunzip(byte[] data) {
        if (data.length < 2 || (data[0] & 0xff) != 0x1f || (data[1] & 0xff) != 0x8b) {
            throw new AssertionError("a binary frame must be gzip (1f 8b)");
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows of a frame ({@code rows} or {@code old_values}) as JSON objects. */
    public static List<JsonObject> rows(JsonObject frame, String field) {
        JsonArray array = frame.getJsonArray(field);
        List<JsonObject> out = new ArrayList<>();
        if (array != null) {
            array.forEach(r -> out.add((JsonObject) r));
        }
        return out;
    }

    /** A JSON object from name/value pairs (values in order). */
    public static JsonObject options(Object... pairs) {
        JsonObject o = new JsonObject();
        for (int i = 0; i < pairs.length; i += 2) {
            o.put((String) pairs[i], pairs[i + 1]);
        }
        return o;
    }
}
