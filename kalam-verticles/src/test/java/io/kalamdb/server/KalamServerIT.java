package io.kalamdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real server (engine included) in-process on a free port, as integration tests of SQL will run it. */
class KalamServerIT {
    private static final String ROOT_PASSWORD = "RootPass123";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void servesSqlOnAFreePortAndClosesCleanly() throws Exception {
        int port;
        try (KalamServer server = Futures.await(KalamServer.start(config(dir.resolve("data"), 0)))) {
            port = server.actualPort();
            assertTrue(port > 0, "bound port " + port);
            assertEquals("http://127.0.0.1:" + port, server.baseUrl());

            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/health"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());

            String token = login(server.baseUrl());
            HttpResponse<String> select = post(server.baseUrl() + "/v1/api/sql", token,
                    "{\"sql\":\"SELECT 1 AS x\"}");
            assertEquals(200, select.statusCode(), select.body());
            JsonObject result = new JsonObject(select.body()).getJsonArray("results").getJsonObject(0);
            assertEquals(new JsonArray().add(new JsonArray().add(1)), result.getJsonArray("rows"));
            assertEquals("root", result.getString("as_user"));
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port)); // released on close
        }
    }

    @Test
    void aTakenPortFailsStartupNamingIt() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            StartupException e = startupFailure(config(dir.resolve("data"), taken.getLocalPort()));
            assertTrue(e.getMessage().contains("[port=" + taken.getLocalPort()), e.getMessage());
        }
    }

    @Test
    void aDataDirectoryInUseFailsStartupNamingIt() {
        Path data = dir.resolve("shared");
        try (KalamServer first = Futures.await(KalamServer.start(config(data, 0)))) {
            StartupException e = startupFailure(config(data, 0));
            assertTrue(e.getMessage().contains(data.toAbsolutePath().toString()), e.getMessage());
            assertTrue(first.actualPort() > 0);
        }
    }

    private static StartupException startupFailure(ServerConfig config) {
        AssertionError failed = assertThrows(AssertionError.class, () -> Futures.await(KalamServer.start(config)));
        return assertInstanceOf(StartupException.class, failed.getCause());
    }

    private String login(String baseUrl) throws Exception {
        HttpResponse<String> response = post(baseUrl + "/v1/api/auth/login", null,
                new JsonObject().put("user", "root").put("password", ROOT_PASSWORD).encode());
        assertEquals(200, response.statusCode(), response.body());
        return new JsonObject(response.body()).getString("access_token");
    }

    private HttpResponse<String> post(String url, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static ServerConfig config(Path dataDir, int port) {
        Map<String, String> values = new HashMap<>();
        values.put("server.port", Integer.toString(port));
        values.put("server.engine_workers", "4");
        values.put("storage.data_path", dataDir.toString());
        values.put("auth.root_password", ROOT_PASSWORD);
        values.put("auth.bcrypt_cost", "4");
        return ServerConfig.of(values);
    }
}
