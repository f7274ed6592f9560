package io.kalamdb.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.server.Futures;
import io.kalamdb.server.KalamServer;
import io.kalamdb.server.ServerConfig;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Reference 6.4 through the real server, with {@code rate_limit.max_queries_per_sec = 5}: a user's burst beyond
 * the limit gets 429 RATE_LIMIT_EXCEEDED in the SQL error shape with {@code Retry-After}; another user is not
 * affected; after the announced wait the user is served again.
 */
class RateLimitIT {
    private static final int PER_SECOND = 5;
    private static KalamServer server;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static String alice;
    private static String bob;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> values = new HashMap<>(SqlApiIT.config(Files.createTempDirectory("kalam-rate"))
                .values());
        values.put("rate_limit.max_queries_per_sec", Integer.toString(PER_SECOND));
        server = Futures.await(KalamServer.start(ServerConfig.of(values)));
        ApiClient api = new ApiClient(server.baseUrl());
        String root = api.login("root", SqlApiIT.ROOT_PASSWORD);
        api.ok(root, "CREATE USER 'alice' WITH PASSWORD 'AlicePass123!' ROLE user");
        api.ok(root, "CREATE USER 'bob' WITH PASSWORD 'BobPass123!' ROLE user");
        alice = api.login("alice", "AlicePass123!");
        bob = api.login("bob", "BobPass123!");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Timeout(60)
    void aUserOverTheRateGets429WithRetryAfterAndOthersAreServed() throws Exception {
        long started = System.nanoTime();
        int served = 0;
        HttpResponse<String> refused = null;
        for (int i = 0; i < 40 && refused == null; i++) {
            HttpResponse<String> r = sql(alice);
            if (r.statusCode() == 200) {
                served++;
            } else {
                refused = r;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        assertNotNull(refused, "40 requests in " + seconds + " s were all served at " + PER_SECOND + "/s");
        assertTrue(served >= PER_SECOND, "the burst of one second is served: " + served);
        assertTrue(served <= PER_SECOND + Math.ceil(seconds * PER_SECOND) + 1, served + " served in " + seconds
                + " s at " + PER_SECOND + "/s");
        assertEquals(429, refused.statusCode(), refused.body());
        JsonObject body = new JsonObject(refused.body());
        assertEquals("error", body.getString("status"));
        assertTrue(body.getJsonArray("results").isEmpty());
        assertNotNull(body.getValue("took"));
        assertEquals("RATE_LIMIT_EXCEEDED", body.getJsonObject("error").getString("code"));
        assertEquals("Too many queries per second. Please slow down.",
                body.getJsonObject("error").getString("message"));
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After: " + retryAfter);

        assertEquals(200, sql(bob).statusCode(), "bob has a rate of his own");

        long waitUntil = System.nanoTime() + retryAfter * 1_000_000_000L;
        while (System.nanoTime() < waitUntil) {
            Thread.sleep(Math.max(1, (waitUntil - System.nanoTime()) / 1_000_000)); // the wait the server asked for
        }
        HttpResponse<String> again = sql(alice);
        assertEquals(200, again.statusCode(), "after Retry-After: " + again.body());
    }

    private static HttpResponse<String> sql(String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/api/sql"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"sql\":\"SELECT 1\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
