package io.kalamdb.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue #13 (topics) through the real server process: one group of four HTTP consumers that die at random
 * (abandoning their claims), ack late around the visibility timeout, and live through a SIGTERM restart and a
 * {@code kill -9}; at the end every offset was processed and acknowledged by some consumer, and the duplicates are
 * counted. A LATEST group's unacknowledged claims come back after a {@code kill -9}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TopicDeliveryIT {
    private static final String TOPIC = "jobs.queue";
    private static final String GROUP = "workers";
    private static final int MESSAGES = 3000;
    private static final int CONSUMERS = 4;

    /** The server the consumers talk to now; replaced at each restart. */
    private final AtomicReference<Endpoint> endpoint = new AtomicReference<>();

    private record Endpoint(ApiClient api, String token) {
    }

    private ServerProcess start(Path dir, Path config) throws Exception {
        ServerProcess s = ServerProcess.launch(dir, Map.of(), config.toString());
        ApiClient api = new ApiClient(s.baseUrl());
        endpoint.set(new Endpoint(api, api.login("root", SqlApiIT.ROOT_PASSWORD)));
        return s;
    }

    private static Path config(Path dir) throws Exception {
        Path toml = dir.resolveSibling(dir.getFileName() + ".toml");
        Files.writeString(toml, "[topics]\nvisibility_timeout_secs = 1\n\n[rate_limit]\nmax_queries_per_sec = 0\n");
        return toml;
    }

    private static JsonObject consumeBody(int partition, String start, int limit, String consumer) {
        return new JsonObject().put("topic_id", TOPIC).put("group_id", GROUP).put("partition_id", partition)
                .put("start", start).put("limit", limit).put("consumer_id", consumer);
    }

    private static List<JsonObject> messages(ApiClient.Reply r) {
        List<JsonObject> out = new ArrayList<>();
        r.json().getJsonArray("messages").forEach(m -> out.add((JsonObject) m));
        return out;
    }

    @Test
    void everyOffsetIsProcessedAndAckedAcrossDeathsLateAcksAndRestarts() throws Exception {
        long seed = System.nanoTime();
        System.out.println("TopicDeliveryIT seed=" + seed);
        Random master = new Random(seed);
        Path dir = Files.createTempDirectory("kalam-topic-delivery");
        Path config = config(dir);
        ServerProcess server = start(dir, config);
        try {
            Endpoint e = endpoint.get();
            e.api().ok(e.token(), "CREATE NAMESPACE jobs; CREATE TABLE jobs.tasks (id BIGINT PRIMARY KEY, body TEXT) "
                    + "WITH (TYPE='SHARED'); CREATE TOPIC " + TOPIC + " PARTITIONS 2; ALTER TOPIC " + TOPIC
                    + " ADD SOURCE jobs.tasks ON INSERT");
            for (int batch = 0; batch < MESSAGES / 100; batch++) {
                StringBuilder sql = new StringBuilder("INSERT INTO jobs.tasks (id, body) VALUES ");
                for (int i = 0; i < 100; i++) {
                    sql.append(i == 0 ? "" : ", ").append('(').append(batch * 100 + i).append(", 'task')");
                }
                e.api().ok(e.token(), sql.toString());
            }
            long[] ends = new long[2];
            Set<String> expected = ConcurrentHashMap.newKeySet();
            for (int p = 0; p < 2; p++) {
                ApiClient.Reply all = e.api().post("/v1/api/topics/consume", e.token(), new JsonObject()
                        .put("topic_id", TOPIC).put("partition_id", p).put("start", "Earliest").put("limit", 10_000)
                        .encode());
                assertEquals(200, all.status(), all.body());
                for (JsonObject m : messages(all)) {
                    expected.add(p + ":" + m.getLong("offset"));
                    ends[p] = Math.max(ends[p], m.getLong("offset") + 1);
                }
            }
            assertEquals(MESSAGES, expected.size(), "every insert made one message");
            assertEquals(MESSAGES, ends[0] + ends[1], "offsets are gap-free per partition");

            Set<String> processedAndAcked = ConcurrentHashMap.newKeySet();
            Set<String> ackUnanswered = ConcurrentHashMap.newKeySet();
            AtomicLong processed = new AtomicLong();
            AtomicLong deaths = new AtomicLong();
            AtomicLong lateAcks = new AtomicLong();
            Queue<String> errors = new ConcurrentLinkedQueue<>();
            AtomicBoolean done = new AtomicBoolean();
            List<Thread> consumers = new ArrayList<>();
            for (int c = 0; c < CONSUMERS; c++) {
                Random random = new Random(master.nextLong());
                int number = c;
                Thread t = new Thread(() -> consumeLoop(number, random, done, processedAndAcked, ackUnanswered,
                        processed, deaths, lateAcks, errors), "consumer-" + c);
                t.setDaemon(true);
                consumers.add(t);
                t.start();
            }
            long deadline = System.currentTimeMillis() + 60_000;
            await(() -> processedAndAcked.size() >= MESSAGES / 3, deadline, "a third acked before the SIGTERM");
            server.stop();
            server = start(dir, config);
            await(() -> processedAndAcked.size() >= 2 * MESSAGES / 3, deadline, "two thirds acked before kill -9");
            server.kill9();
            server = start(dir, config);
            await(() -> committedEverything(ends), deadline, "the group committed both partitions to the end");
            done.set(true);
            for (Thread t : consumers) {
                t.join(10_000);
            }
            assertEquals(List.of(), List.copyOf(errors), "no consumer got an unexpected answer");
            Set<String> missing = new java.util.TreeSet<>(expected);
            missing.removeAll(processedAndAcked);
            // an ack the server made durable but whose answer a restart cut off: processed and acked all the same
            Set<String> unanswered = new java.util.TreeSet<>(missing);
            unanswered.retainAll(ackUnanswered);
            missing.removeAll(ackUnanswered);
            Set<String> distinct = new java.util.HashSet<>(processedAndAcked);
            distinct.addAll(ackUnanswered);
            System.out.println("TopicDeliveryIT seed=" + seed + " processed=" + processed.get() + " distinct="
                    + distinct.size() + " duplicates=" + (processed.get() - distinct.size())
                    + " deaths=" + deaths.get() + " late_acks=" + lateAcks.get() + " acked_unanswered="
                    + unanswered.size());
            assertEquals(Set.of(), missing, "offsets committed but never processed and acked by any consumer, seed="
                    + seed);
        } finally {
            server.kill9();
        }
    }

    /** One consumer: fetch, maybe die, process, maybe ack late, ack; retries through restarts. */
    private void consumeLoop(int number, Random random, AtomicBoolean done, Set<String> processedAndAcked,
                             Set<String> ackUnanswered, AtomicLong processed, AtomicLong deaths, AtomicLong lateAcks, Queue<String> errors) {
        int incarnation = 0;
        String consumer = "c" + number + "-" + incarnation;
        while (!done.get()) {
            Endpoint e = endpoint.get();
            int partition = random.nextInt(2);
            ApiClient.Reply r = call(e, "/v1/api/topics/consume", consumeBody(partition, "Earliest",
                    1 + random.nextInt(25), consumer).put("timeout_seconds", 1), errors);
            if (r == null) {
                continue;
            }
            List<JsonObject> got = messages(r);
            if (got.isEmpty()) {
                continue;
            }
            if (random.nextInt(100) < 6) { // dies holding its claims: a new incarnation takes its place
                deaths.incrementAndGet();
                consumer = "c" + number + "-" + ++incarnation;
                continue;
            }
            boolean late = random.nextInt(100) < 15;
            pause(late ? 700 + random.nextInt(700) : random.nextInt(30)); // processing time, around the timeout
            if (late) {
                lateAcks.incrementAndGet();
            }
            processed.addAndGet(got.size());
            long upto = got.stream().mapToLong(m -> m.getLong("offset")).max().orElseThrow();
            ApiClient.Reply ack = call(e, "/v1/api/topics/ack", new JsonObject().put("topic_id", TOPIC)
                    .put("group_id", GROUP).put("partition_id", partition).put("upto_offset", upto)
                    .put("consumer_id", consumer), errors);
            Set<String> target = ack != null ? processedAndAcked : ackUnanswered;
            got.forEach(m -> target.add(partition + ":" + m.getLong("offset")));
        }
    }

    /** A call, or null when the server is down or restarting (the caller tries again); 4xx are errors. */
    private ApiClient.Reply call(Endpoint e, String path, JsonObject body, Queue<String> errors) {
        ApiClient.Reply r;
        try {
            r = e.api().post(path, e.token(), body.encode());
        } catch (AssertionError down) {
            pause(100); // the server is restarting: try again against the next one
            return null;
        }
        if (r.status() == 200) {
            return r;
        }
        if (r.status() < 500 && e == endpoint.get()) {
            errors.add(path + " " + body.encode() + " -> " + r.status() + " " + r.body());
        }
        pause(100);
        return null;
    }

    private boolean committedEverything(long[] ends) {
        Endpoint e = endpoint.get();
        ApiClient.Reply r;
        try {
            r = e.api().sql(e.token(), "SELECT partition_id, last_acked_offset FROM system.topic_offsets "
                    + "WHERE group_id = '" + GROUP + "'");
        } catch (AssertionError down) {
            return false;
        }
        if (r.status() != 200) {
            return false;
        }
        int complete = 0;
        for (Object row : r.rows(0)) {
            JsonArray a = (JsonArray) row;
            int partition = Integer.parseInt(String.valueOf(a.getValue(0)));
            long committed = Long.parseLong(String.valueOf(a.getValue(1)));
            if (committed == ends[partition] - 1) {
                complete++;
            }
        }
        return complete == 2;
    }

    private static void await(BooleanSupplier condition, long deadline, String what) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(50); // polling progress counters and the server's view; there is no event to wait for
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aLatestGroupsUnackedClaimsComeBackAfterKillMinusNine() throws Exception {
        Path dir = Files.createTempDirectory("kalam-topic-latest");
        Path config = config(dir);
        ServerProcess server = start(dir, config);
        try {
            Endpoint e = endpoint.get();
            e.api().ok(e.token(), "CREATE NAMESPACE jobs; CREATE TABLE jobs.tasks (id BIGINT PRIMARY KEY, body TEXT) "
                    + "WITH (TYPE='SHARED'); CREATE TOPIC " + TOPIC + "; ALTER TOPIC " + TOPIC
                    + " ADD SOURCE jobs.tasks ON INSERT");
            e.api().ok(e.token(), "INSERT INTO jobs.tasks (id, body) VALUES (1, 'before'), (2, 'before')");
            ApiClient.Reply first = e.api().post("/v1/api/topics/consume", e.token(),
                    consumeBody(0, "Latest", 100, "a").encode());
            assertEquals(List.of(), messages(first), "LATEST: nothing yet");
            e.api().ok(e.token(), "INSERT INTO jobs.tasks (id, body) VALUES (3, 'new'), (4, 'new'), (5, 'new')");
            List<Long> claimed = messages(e.api().post("/v1/api/topics/consume", e.token(),
                    consumeBody(0, "Latest", 100, "a").encode())).stream().map(m -> m.getLong("offset")).toList();
            assertEquals(List.of(2L, 3L, 4L), claimed);
            server.kill9();
            server = start(dir, config);
            Endpoint after = endpoint.get();
            List<Long> redelivered = messages(after.api().post("/v1/api/topics/consume", after.token(),
                    consumeBody(0, "Latest", 100, "b").encode())).stream().map(m -> m.getLong("offset")).toList();
            assertEquals(claimed, redelivered, "the claims held at the crash are delivered again");
            ApiClient.Reply ack = after.api().post("/v1/api/topics/ack", after.token(), new JsonObject()
                    .put("topic_id", TOPIC).put("group_id", GROUP).put("upto_offset", 4).put("consumer_id", "b")
                    .encode());
            assertEquals(4L, ack.json().getLong("acknowledged_offset"), ack.body());
            assertTrue(messages(after.api().post("/v1/api/topics/consume", after.token(),
                    consumeBody(0, "Latest", 100, "c").encode())).isEmpty(), "nothing left after the ack");
        } finally {
            server.kill9();
        }
    }
}
