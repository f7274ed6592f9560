package io.kalamdb.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kalamdb.server.Futures;
import io.kalamdb.server.KalamServer;
import io.kalamdb.server.ServerConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Subscription filters through the real server (issue 8): subscriptions whose WHERE uses BETWEEN, UPPER(...),
 * ILIKE and LIKE ... ESCAPE, which the old hand-written live filter refused or got wrong, see exactly the rows
 * the same SELECT returns, through inserts and updates that move rows into and out of each filter.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveFilterWebSocketIT {
    private static final String ROOT_PASSWORD = "RootPass123!";
    private static final List<String> FILTERS = List.of("n BETWEEN 2 AND 4", "UPPER(s) = 'ABC'", "s ILIKE 'ab%'",
            "s LIKE 'a!_%' ESCAPE '!'");

    private static KalamServer server;
    private static ApiClient api;
    private static String root;
    private static String alice;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> values = new HashMap<>();
        values.put("server.port", "0");
        values.put("storage.data_path", Files.createTempDirectory("kalam-ws-filters").toString());
        values.put("auth.root_password", ROOT_PASSWORD);
        values.put("auth.bcrypt_cost", "4");
        server = Futures.await(KalamServer.start(ServerConfig.of(values)));
        api = new ApiClient(server.baseUrl());
        root = api.login("root", ROOT_PASSWORD);
        api.ok(root, "CREATE NAMESPACE f");
        api.ok(root, "CREATE TABLE f.items (id BIGINT PRIMARY KEY, n INT, s TEXT) "
                + "WITH (TYPE='SHARED', ACCESS_LEVEL='PUBLIC')");
        api.ok(root, "CREATE USER 'alice' WITH PASSWORD 'AlicePass123!' ROLE user;");
        alice = api.login("alice", "AlicePass123!");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void subscriptionsSeeExactlyTheRowsOfTheSameSelect() {
        api.ok(root, "INSERT INTO f.items (id, n, s) VALUES (1, 1, 'abc'), (2, 3, 'ABC'), (3, 5, 'a_x'), "
                + "(4, NULL, 'abx'), (5, 2, NULL)");
        try (WsClient ws = WsClient.authenticated(server.baseUrl(), alice)) {
            List<Set<String>> views = new java.util.ArrayList<>();
            for (int k = 0; k < FILTERS.size(); k++) {
                Set<String> view = new TreeSet<>();
                for (JsonObject row : ws.subscribeAndLoad("f" + k, query(k), null)) {
                    view.add(row.getValue("id").toString());
                }
                assertEquals(select(k), view, "initial rows of WHERE " + FILTERS.get(k));
                views.add(view);
            }
            List<String> writes = List.of(
                    "INSERT INTO f.items (id, n, s) VALUES (6, 4, 'Abz'), (7, 9, 'a_b'), (8, 2, 'xyz')",
                    "UPDATE f.items SET n = 3, s = 'zzz' WHERE id = 1",
                    "UPDATE f.items SET s = 'aBc', n = 10 WHERE id = 3",
                    "UPDATE f.items SET s = 'a_c' WHERE id = 8",
                    "UPDATE f.items SET n = NULL, s = 'ab%' WHERE id = 2",
                    "DELETE FROM f.items WHERE id = 6");
            for (String write : writes) {
                api.ok(root, write);
                for (int k = 0; k < FILTERS.size(); k++) {
                    awaitView(ws, k, views.get(k), select(k), write);
                }
            }
        }
    }

    private static String query(int k) {
        return "SELECT id, n, s FROM f.items WHERE " + FILTERS.get(k);
    }

    private static Set<String> select(int k) {
        Set<String> ids = new TreeSet<>();
        JsonArray rows = api.ok(root, query(k)).rows(0);
        for (Object row : rows) {
            Object id = row instanceof JsonArray a ? a.getValue(0) : ((JsonObject) row).getValue("id");
            ids.add(id.toString());
        }
        return ids;
    }

    /**
     * Applies the subscription's change frames to its view until it equals the SELECT and no frame is pending
     * (bounded wait). An update of a row that stays inside the filter arrives as an update and keeps the set.
     */
    private static void awaitView(WsClient ws, int k, Set<String> view, Set<String> expected, String after) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            WsClient.Frame frame = ws.poll(f -> ("f" + k).equals(f.getString("subscription_id")), 100);
            if (frame == null) {
                if (view.equals(expected)) {
                    break;
                }
                continue;
            }
            JsonObject change = frame.json();
            assertEquals("change", change.getString("type"), change.encode());
            switch (change.getString("change_type")) {
                case "insert", "update" -> WsClient.rows(change, "rows")
                        .forEach(r -> view.add(r.getValue("id").toString()));
                case "delete" -> WsClient.rows(change, "old_values")
                        .forEach(r -> view.remove(r.getValue("id").toString()));
                default -> throw new AssertionError("unexpected frame " + change.encode());
            }
        }
        assertEquals(expected, view, "subscription view of WHERE " + FILTERS.get(k) + " after " + after);
    }
}
