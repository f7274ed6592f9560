package io.kalamdb.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.server.Futures;
import io.kalamdb.server.KalamServer;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13, "Queries: bounded memory", over HTTP: a SELECT whose rows exceed {@code limits.max_result_bytes} comes
 * back cut, with {@code "truncated": true} and a body of about the budget, not the whole table; one within it is
 * whole; and {@code ORDER BY … LIMIT} answers the same rows a full sort would.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResultBudgetIT {
    private static final String ROOT_PASSWORD = SqlApiIT.ROOT_PASSWORD;
    private static final int BUDGET = 1024 * 1024;
    private static final int ROWS = 12;
    private static final int CHARS = 300_000;
    private static KalamServer server;
    private static ApiClient api;
    private static String root;

    @BeforeAll
    static void start() throws Exception {
        server = Futures.await(KalamServer.start(SqlApiIT.config(Files.createTempDirectory("kalam-result-budget"),
                Map.of("server.engine_workers", "4", "rate_limit.max_queries_per_sec", "0",
                        "limits.max_result_bytes", Integer.toString(BUDGET)))));
        api = new ApiClient(server.baseUrl());
        root = api.login("root", ROOT_PASSWORD);
        api.ok(root, "CREATE NAMESPACE app");
        api.ok(root, "CREATE TABLE app.docs (id INT PRIMARY KEY, body TEXT) WITH (TYPE='SHARED')");
        for (int i = 0; i < ROWS; i++) {
            api.ok(root, "INSERT INTO app.docs (id, body) VALUES (" + i + ", '"
                    + String.valueOf((char) ('a' + i)).repeat(CHARS) + "')");
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aResultOverTheBudgetIsCutAndSaysTruncated() {
        ApiClient.Reply reply = api.ok(root, "SELECT id, body FROM app.docs LIMIT 1000");
        JsonObject result = reply.result(0);
        assertTrue(result.getBoolean("truncated", false), "cut by the byte budget: " + result.fieldNames());
        int rows = result.getJsonArray("rows").size();
        assertEquals(BUDGET / CHARS, rows, "as many whole rows as fit in the budget");
        assertEquals(rows, result.getInteger("row_count"));
        assertTrue(reply.body().length() < 2 * BUDGET, "the body is about the budget: " + reply.body().length());
        assertEquals(0, result.getJsonArray("rows").getJsonArray(0).getInteger(0));
    }

    @Test
    void aResultWithinTheBudgetIsWhole() {
        JsonObject result = api.ok(root, "SELECT id, CHAR_LENGTH(body) AS n FROM app.docs LIMIT 1000").result(0);
        assertFalse(result.getBoolean("truncated", false));
        assertEquals(ROWS, result.getJsonArray("rows").size());
    }

    @Test
    void orderByWithLimitAnswersTheTopRows() {
        JsonObject result = api.ok(root, "SELECT id FROM app.docs ORDER BY body DESC LIMIT 3").result(0);
        assertEquals(3, result.getJsonArray("rows").size());
        for (int i = 0; i < 3; i++) {
            assertEquals(ROWS - 1 - i, result.getJsonArray("rows").getJsonArray(i).getInteger(0));
        }
    }
}
