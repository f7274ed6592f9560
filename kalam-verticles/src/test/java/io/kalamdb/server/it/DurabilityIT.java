package io.kalamdb.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.server.KalamServer;
import io.vertx.core.json.JsonArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Acknowledged writes survive a clean restart and a {@code kill -9} of the real server process. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DurabilityIT {

    @Test
    void aRestartKeepsAllData() throws Exception {
        Path dir = Files.createTempDirectory("kalam-restart");
        try (KalamServer first = io.kalamdb.server.Futures.await(KalamServer.start(SqlApiIT.config(dir)))) {
            ApiClient api = new ApiClient(first.baseUrl());
            String root = api.login("root", SqlApiIT.ROOT_PASSWORD);
            api.ok(root, "CREATE NAMESPACE keep; CREATE TABLE keep.t (id BIGINT DEFAULT SNOWFLAKE_ID(), v TEXT) "
                    + "WITH (TYPE='USER'); CREATE USER 'carol' WITH PASSWORD 'CarolPass123!' ROLE user");
            String carol = api.login("carol", "CarolPass123!");
            api.ok(carol, "INSERT INTO keep.t (v) VALUES ('one'), ('two')");
            api.ok(carol, "UPDATE keep.t SET v = 'TWO' WHERE v = 'two'");
        }
        try (KalamServer second = io.kalamdb.server.Futures.await(KalamServer.start(SqlApiIT.config(dir)))) {
            ApiClient api = new ApiClient(second.baseUrl());
            String carol = api.login("carol", "CarolPass123!");
            JsonArray rows = api.ok(carol, "SELECT v FROM keep.t ORDER BY v").rows(0);
            assertEquals(new JsonArray().add(new JsonArray().add("TWO")).add(new JsonArray().add("one")), rows);
            api.ok(carol, "INSERT INTO keep.t (v) VALUES ('after restart')");
        }
    }

    @Test
    void killMinusNineLosesNoAcknowledgedWrite() throws Exception {
        Path dir = Files.createTempDirectory("kalam-kill9");
        ServerProcess s = ServerProcess.launch(dir);
        ApiClient api = new ApiClient(s.baseUrl());
        String root = api.login("root", SqlApiIT.ROOT_PASSWORD);
        api.ok(root, "CREATE NAMESPACE crash; CREATE TABLE crash.events (id BIGINT PRIMARY KEY, body TEXT) "
                + "WITH (TYPE='SHARED')");
        Set<Long> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int writer = w;
            writers.add(pool.submit(() -> {
                for (long i = 0; i < 2000; i++) {
                    long id = writer * 1_000_000L + i;
                    ApiClient.Reply r;
                    try {
                        r = api.sql(root, "INSERT INTO crash.events (id, body) VALUES ($1, 'x')", id);
                    } catch (AssertionError e) {
                        return;
                    }
                    if (r.status() == 200) {
                        acknowledged.add(id);
                    }
                }
            }));
        }
        long deadline = System.currentTimeMillis() + 30_000;
        while (acknowledged.size() < 500 && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        s.process().destroyForcibly();
        assertTrue(s.process().waitFor(10, TimeUnit.SECONDS), "killed");
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        Set<Long> acked = new HashSet<>(acknowledged);
        assertTrue(acked.size() >= 500, "writes were acknowledged before the kill: " + acked.size());

        ServerProcess again = ServerProcess.launch(dir);
        try {
            ApiClient api2 = new ApiClient(again.baseUrl());
            String root2 = api2.login("root", SqlApiIT.ROOT_PASSWORD);
            Set<Long> found = new HashSet<>();
            long after = -1;
            while (true) {
                JsonArray rows = api2.ok(root2, "SELECT id FROM crash.events WHERE id > $1 ORDER BY id LIMIT 1000",
                        after).rows(0);
                if (rows.isEmpty()) {
                    break;
                }
                for (Object r : rows) {
                    after = Long.parseLong(((JsonArray) r).getString(0));
                    found.add(after);
                }
            }
            acked.removeAll(found);
            assertEquals(Set.of(), acked, "every acknowledged insert survived kill -9");
        } finally {
            again.process().destroy();
            again.process().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
