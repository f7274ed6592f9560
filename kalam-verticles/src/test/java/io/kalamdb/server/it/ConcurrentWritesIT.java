package io.kalamdb.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.server.KalamServer;
import io.vertx.core.json.JsonArray;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issues #8 and #13 over the wire: concurrent HTTP clients racing ALTERs, increments and transfers against the
 * real server. Every acknowledged change is present afterwards and no increment is lost.
 */
@Timeout(180)
class ConcurrentWritesIT {
    private static KalamServer server;
    private static ApiClient api;
    private static String root;
    private static ExecutorService pool;

    @BeforeAll
    static void start() throws Exception {
        // writers race on purpose here: the per-user limits (RateLimitIT, StatementLimitsIT) are off
        server = io.kalamdb.server.Futures.await(KalamServer.start(SqlApiIT.config(
                Files.createTempDirectory("kalam-concurrent"), java.util.Map.of("rate_limit.max_queries_per_sec", "0",
                        "rate_limit.max_statements_in_flight_per_user", "0"))));
        api = new ApiClient(server.baseUrl());
        root = api.login("root", SqlApiIT.ROOT_PASSWORD);
        api.ok(root, "CREATE NAMESPACE c");
        pool = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        server.close();
    }

    /** Runs the tasks at once and returns their replies in order. */
    private static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
        return Race.all(pool, tasks, 150);
    }

    /** The one value of a one-row, one-column query. */
    private static long scalar(String sql) {
        Object row = api.ok(root, sql).rows(0).getValue(0);
        Object value = row instanceof JsonArray a ? a.getValue(0)
                : ((io.vertx.core.json.JsonObject) row).iterator().next().getValue();
        return Long.parseLong(String.valueOf(value));
    }

    @Test
    void fortyConcurrentAddColumnsAllLand() throws Exception {
        api.ok(root, "CREATE TABLE c.wide (id BIGINT PRIMARY KEY) WITH (TYPE='SHARED')");
        List<Callable<ApiClient.Reply>> tasks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String sql = "ALTER TABLE c.wide ADD COLUMN col" + i + " TEXT";
            tasks.add(() -> api.sql(root, sql));
        }
        for (ApiClient.Reply r : race(tasks)) {
            assertEquals(200, r.status(), r.body());
        }
        JsonArray columns = api.ok(root, "DESCRIBE TABLE c.wide").rows(0);
        assertEquals(41 + 2, columns.size(), "40 added columns, the key and the two system columns: " + columns);
    }

    @Test
    void anAlterRejectedByAConcurrentDropAnswersAClearErrorAndTheTableStaysGone() throws Exception {
        long seed = new Random().nextLong();
        System.out.println("anAlterRejectedByAConcurrentDropAnswersAClearErrorAndTheTableStaysGone seed=" + seed);
        Random random = new Random(seed);
        for (int round = 0; round < 8; round++) {
            api.ok(root, "CREATE TABLE c.gone (id BIGINT PRIMARY KEY) WITH (TYPE='SHARED')");
            List<Callable<ApiClient.Reply>> tasks = new ArrayList<>();
            int alters = 1 + random.nextInt(4);
            for (int i = 0; i < alters; i++) {
                String sql = "ALTER TABLE c.gone ADD COLUMN x" + i + " TEXT";
                tasks.add(() -> api.sql(root, sql));
            }
            int dropAt = random.nextInt(alters + 1);
            tasks.add(dropAt, () -> api.sql(root, "DROP TABLE c.gone"));
            List<ApiClient.Reply> replies = race(tasks);
            assertEquals(200, replies.get(dropAt).status(), "seed=" + seed + " " + replies.get(dropAt).body());
            for (ApiClient.Reply r : replies) {
                assertTrue(r.status() == 200 || r.body().contains("table 'c.gone' not found"),
                        "seed=" + seed + " " + r.body());
            }
            ApiClient.Reply described = api.sql(root, "DESCRIBE TABLE c.gone");
            assertEquals(400, described.status(), "seed=" + seed + " round=" + round + ": the table came back: "
                    + described.body());
        }
    }

    /** Four clients, 150 increments each, on one row: exactly 600 (half of them inside BEGIN … COMMIT). */
    @Test
    void concurrentIncrementsOfOneRowAreNeverLost() throws Exception {
        for (boolean inTransaction : new boolean[] {false, true}) {
            String table = inTransaction ? "c.ctr_tx" : "c.ctr";
            api.ok(root, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, n BIGINT) WITH (TYPE='SHARED')");
            api.ok(root, "INSERT INTO " + table + " (id, n) VALUES (1, 0)");
            String increment = "UPDATE " + table + " SET n = n + 1 WHERE id = 1";
            String sql = inTransaction ? "BEGIN; " + increment + "; COMMIT" : increment;
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                tasks.add(() -> {
                    for (int i = 0; i < 150; i++) {
                        ApiClient.Reply r = api.sql(root, sql);
                        assertEquals(200, r.status(), r.body());
                    }
                    return 150;
                });
            }
            assertEquals(List.of(150, 150, 150, 150), race(tasks));
            assertEquals(600, scalar("SELECT n FROM " + table + " WHERE id = 1"), table);
        }
    }

    /** Random transfers between ten accounts, each one transaction of two UPDATEs: the total never changes. */
    @Test
    void transfersKeepTheirSum() throws Exception {
        long seed = new Random().nextLong();
        System.out.println("transfersKeepTheirSum seed=" + seed);
        api.ok(root, "CREATE TABLE c.accounts (id BIGINT PRIMARY KEY, balance BIGINT) WITH (TYPE='SHARED')");
        for (int id = 0; id < 10; id++) {
            api.ok(root, "INSERT INTO c.accounts (id, balance) VALUES (" + id + ", 1000)");
        }
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            Random random = new Random(seed + c);
            tasks.add(() -> {
                for (int i = 0; i < 60; i++) {
                    int from = random.nextInt(10);
                    int to = (from + 1 + random.nextInt(9)) % 10;
                    int amount = 1 + random.nextInt(50);
                    ApiClient.Reply r = api.sql(root, "BEGIN; UPDATE c.accounts SET balance = balance - " + amount
                            + " WHERE id = " + from + "; UPDATE c.accounts SET balance = balance + " + amount
                            + " WHERE id = " + to + "; COMMIT");
                    assertEquals(200, r.status(), "seed=" + seed + " " + r.body());
                }
                return 60;
            });
        }
        race(tasks);
        assertEquals(10_000, scalar("SELECT SUM(balance) AS total FROM c.accounts"), "seed=" + seed);
    }
}
