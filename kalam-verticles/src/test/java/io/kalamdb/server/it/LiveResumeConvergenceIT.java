package io.kalamdb.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kalamdb.server.Futures;
import io.kalamdb.server.KalamServer;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13, "a resume under 2 k rows/s converges", over a real WebSocket and HTTP: a subscriber disconnects while a
 * writer inserts about 2,000 rows a second over HTTP, reconnects and resubscribes {@code from} the last {@code _seq}
 * it saw, pages through the catch-up with {@code next_batch} while the writes go on, and goes live: every row
 * exactly once, in {@code _seq} order, and never {@code SUBSCRIBER_LAGGING} although far more changes arrive during
 * the catch-up than a loading subscription may hold back ({@code live.max_initial_buffered_changes}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveResumeConvergenceIT {
    private static final String ROOT_PASSWORD = TestServers.ROOT_PASSWORD;
    private static final String SQL = "SELECT id, content FROM chat.messages";
    private static final int ROWS_PER_TICK = 100;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50); // 100 rows / 50 ms = 2,000 rows/s
    private static KalamServer server;
    private static ApiClient api;
    private static String alice;

    @BeforeAll
    static void start() throws Exception {
        server = Futures.await(KalamServer.start(TestServers.config(Files.createTempDirectory("kalam-live-resume"),
                Map.of("server.engine_workers", "4", "rate_limit.max_queries_per_sec", "0",
                        "live.max_initial_buffered_changes", "100",
                        // the writer paces at 2,000 rows/s, not at fsync speed
                        "storage.rocksdb.sync_writes", "false"))));
        api = new ApiClient(server.baseUrl());
        String root = api.login("root", ROOT_PASSWORD);
        api.ok(root, "CREATE NAMESPACE chat");
        api.ok(root, "CREATE TABLE chat.messages (id INT PRIMARY KEY, content TEXT) WITH (TYPE='USER')");
        api.ok(root, "CREATE USER 'alice' WITH PASSWORD 'AlicePass123!' ROLE user;");
        alice = api.login("alice", "AlicePass123!");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Inserts rows 0, 1, 2, … over HTTP in ticks of {@link #ROWS_PER_TICK} rows paced at 2,000 rows a second. */
    private static final class Writer implements Runnable {
        final AtomicInteger written = new AtomicInteger();
        final AtomicReference<String> failure = new AtomicReference<>();
        final Thread thread = new Thread(this, "resume-it-writer");
        volatile boolean stop;
        volatile long startedNanos;
        volatile long stoppedNanos;

        @Override
        public void run() {
            long next = System.nanoTime();
            startedNanos = next;
            while (!stop) {
                int from = written.get();
                ApiClient.Reply r = api.sql(alice, "INSERT INTO chat.messages (id, content) VALUES " + IntStream
                        .range(from, from + ROWS_PER_TICK).mapToObj(i -> "(" + i + ", 'm" + i + "')")
                        .collect(Collectors.joining(", ")));
                if (r.status() != 200) {
                    failure.set(r.status() + " " + r.body());
                    return;
                }
                written.addAndGet(ROWS_PER_TICK);
                next += TICK_NANOS;
                LockSupport.parkNanos(next - System.nanoTime()); // the rate limiter
            }
        }

        int stopAndJoin() throws InterruptedException {
            stop = true;
            thread.join(10_000);
            stoppedNanos = System.nanoTime();
            assertNull(failure.get(), "the writer failed");
            return written.get();
        }

        /** The rate the writer reached (the machine may be slower than the pace asked for). */
        long rowsPerSecond() {
            return written.get() * TimeUnit.SECONDS.toNanos(1) / Math.max(1, stoppedNanos - startedNanos);
        }

        void awaitWritten(int n) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (written.get() < n) {
                assertNull(failure.get(), "the writer failed");
                if (System.nanoTime() > end) {
                    fail("the writer did not reach " + n + " rows (at " + written.get() + ")");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
        }
    }

    /** A row as received: its id and {@code _seq}. */
    private record Seen(int id, long seq) {
    }

    private static List<Seen> rowsOf(JsonObject frame) {
        List<Seen> out = new ArrayList<>();
        for (JsonObject row : WsClient.rows(frame, "rows")) {
            out.add(new Seen(row.getInteger("id"), Long.parseLong(String.valueOf(row.getValue("_seq")))));
        }
        return out;
    }

    /** Reads change frames of {@code id} until {@code done} holds for the rows so far; any other frame fails. */
    private static void readChangesUntil(WsClient ws, String id, List<Seen> rows,
                                         java.util.function.Predicate<List<Seen>> done) {
        while (!done.test(rows)) {
            JsonObject frame = ws.nextFor(id);
            assertEquals("change", frame.getString("type"), frame.encode());
            assertEquals("insert", frame.getString("change_type"), frame.encode());
            rows.addAll(rowsOf(frame));
        }
    }

    private static int lastId(List<Seen> rows) {
        return rows.isEmpty() ? -1 : rows.get(rows.size() - 1).id();
    }

    @Test
    void aResumeUnderTwoThousandRowsASecondConvergesWithEveryRowOnceInOrder() throws Exception {
        long seed = Long.getLong("resume.seed", System.nanoTime());
        System.out.println("LiveResumeConvergenceIT seed=" + seed + " (repeat with -Dresume.seed=" + seed + ")");
        Random random = new Random(seed);
        int pageSize = 100 + random.nextInt(401);
        int seenBeforeCut = 100 + random.nextInt(400);
        int missed = 3_000 + random.nextInt(2_000);

        Writer writer = new Writer();
        try {
            List<Seen> seen = new ArrayList<>();
            int atCut;
            try (WsClient first = WsClient.authenticated(server.baseUrl(), alice)) {
                assertTrue(first.subscribeAndLoad("s", SQL, null).isEmpty());
                writer.thread.start();
                readChangesUntil(first, "s", seen, rows -> rows.size() >= seenBeforeCut);
                atCut = writer.written.get();
            } // the subscriber disconnects; it keeps what it saw
            long lastSeen = seen.get(seen.size() - 1).seq();
            writer.awaitWritten(atCut + missed);

            long start = System.nanoTime();
            int atResume = writer.written.get();
            try (WsClient ws = WsClient.authenticated(server.baseUrl(), alice)) {
                ws.subscribe("s", SQL, WsClient.options("batch_size", pageSize, "from", Long.toString(lastSeen)));
                JsonObject ack = ws.nextFor("s");
                assertEquals("subscription_ack", ack.getString("type"), ack.encode());
                List<Seen> rows = new ArrayList<>();
                int pages = 0;
                while (true) {
                    JsonObject batch = ws.nextFor("s");
                    assertEquals("initial_data_batch", batch.getString("type"), "catch-up page, not lagging: "
                            + batch.encode());
                    List<Seen> page = rowsOf(batch);
                    assertTrue(page.size() <= pageSize, "pages are bounded: " + page.size());
                    rows.addAll(page);
                    pages++;
                    JsonObject control = batch.getJsonObject("batch_control");
                    if (!control.getBoolean("has_more")) {
                        assertEquals("ready", control.getString("status"));
                        break;
                    }
                    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "converges within 30 s");
                    ws.send(new JsonObject().put("type", "next_batch").put("subscription_id", "s")
                            .put("last_seq_id", control.getLong("last_seq_id")));
                }
                long catchUpMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                int catchUpRows = rows.size();
                int atLive = writer.written.get();
                readChangesUntil(ws, "s", rows, r -> lastId(r) >= atLive); // a row written after the catch-up
                int total = writer.stopAndJoin();
                readChangesUntil(ws, "s", rows, r -> lastId(r) == total - 1);
                assertNull(ws.poll(f -> "s".equals(f.getString("subscription_id")), 300), "nothing more");
                System.out.printf("seed=%d pageSize=%d seenBeforeCut=%d atCut=%d atResume=%d pages=%d "
                        + "catchUpRows=%d catchUpMs=%d liveRows=%d total=%d writerRowsPerSec=%d%n", seed, pageSize,
                        seen.size(), atCut, atResume, pages, catchUpRows, catchUpMs, rows.size() - catchUpRows, total,
                        writer.rowsPerSecond());
                assertTrue(catchUpRows >= atResume - seen.size(), "seed=" + seed + ": the catch-up read the rows "
                        + "written while away");

                List<Seen> all = new ArrayList<>(seen);
                all.addAll(rows);
                for (int i = 1; i < all.size(); i++) {
                    assertTrue(all.get(i).seq() > all.get(i - 1).seq(), "seed=" + seed + ": _seq order broken at "
                            + i + " " + all.get(i - 1) + " -> " + all.get(i));
                }
                assertEquals(IntStream.range(0, total).boxed().toList(), all.stream().map(Seen::id).toList(),
                        "seed=" + seed + ": every row exactly once, in order (no gap, no duplicate)");
            }
        } finally {
            writer.stop = true;
            writer.thread.join(10_000);
        }
    }
}
