package io.kalamdb.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** A small HTTP client of the public API for integration tests (JDK HttpClient, loopback only). */
public final class ApiClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    public ApiClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** A response: its status and its body parsed as a JSON object (or null when it is not JSON). */
    public record Reply(int status, String body) {
        public JsonObject json() {
            return new JsonObject(body);
        }

        public boolean ok() {
            return status == 200 && "success".equals(json().getString("status"));
        }

        public String errorCode() {
            JsonObject e = json().getJsonObject("error");
            return e == null ? null : e.getString("code");
        }

        public String errorMessage() {
            JsonObject e = json().getJsonObject("error");
            return e == null ? null : e.getString("message");
        }

        public JsonObject result(int i) {
            return json().getJsonArray("results").getJsonObject(i);
        }

        public JsonArray rows(int i) {
            return result(i).getJsonArray("rows");
        }
    }

    public Reply post(String path, String token, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            if (token != null) {
                b.header("Authorization", token.contains(" ") ? token : "Bearer " + token);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (Exception e) {
            throw new AssertionError("request failed: " + path, e);
        }
    }

    public Reply sql(String token, String sql, Object... params) {
        JsonObject body = new JsonObject().put("sql", sql);
        if (params.length > 0) {
            body.put("params", new JsonArray(List.of(params)));
        }
        return post("/v1/api/sql", token, body.encode());
    }

    /** Runs SQL and asserts it succeeded. */
    public Reply ok(String token, String sql, Object... params) {
        Reply r = sql(token, sql, params);
        assertEquals(200, r.status(), sql + " -> " + r.body());
        return r;
    }

    public String login(String user, String password) {
        Reply r = post("/v1/api/auth/login", null, new JsonObject().put("user", user).put("password", password)
                .encode());
        assertEquals(200, r.status(), "login " + user + " -> " + r.body());
        return r.json().getString("access_token");
    }
}
