package io.kalamdb.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.ColumnInfo;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.engine.auth.UserService;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.service.EngineOperations;
import io.kalamdb.engine.service.FakeUserService;
import io.kalamdb.engine.service.LocalKalamService;
import io.kalamdb.server.Futures;
import io.kalamdb.server.ServerConfig;
import io.kalamdb.server.auth.JwtService;
import io.kalamdb.server.bus.BusCodecs;
import io.kalamdb.server.engine.EngineWorkers;
import io.kalamdb.server.engine.KalamServiceVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The HTTP API over real sockets: the real HTTP verticle and engine worker verticle, with a fake engine behind
 * them (canned SQL answers, in-memory users), so the wire contract is checked independently of the engine.
 */
@ExtendWith(VertxExtension.class)
class HttpApiIT {
    private static final String SECRET = "http-api-it-secret-of-at-least-32-characters";
    private static final int MAX_BODY = 4096;
    private static final long FAR_FUTURE_MICROS = Long.MAX_VALUE / 2;

    private Vertx vertx;
    private FakeUserService users;
    private WebClient client;
    private int port;

    @BeforeEach
    void deploy(Vertx vertx) {
        this.vertx = vertx;
        this.users = new FakeUserService()
                .add("root", "RootPass123", Role.SYSTEM)
                .add("alice", "AlicePass1", Role.USER);
        UserRecord alice = users.find("alice").orElseThrow();
        users.put(new UserRecord("lucy", "LucyPass1", Role.USER, null, "password", 5, FAR_FUTURE_MICROS, null,
                alice.createdAtMicros(), alice.updatedAtMicros(), null));
        users.put(new UserRecord("dave", "DavePass1", Role.USER, null, "password", 0, null, null,
                alice.createdAtMicros(), alice.updatedAtMicros(), alice.updatedAtMicros()));
        BusCodecs.register(vertx.eventBus());
        ServerConfig config = ServerConfig.of(Map.of("server.port", "0", "auth.jwt_secret", SECRET,
                "security.max_request_body_size", Integer.toString(MAX_BODY)));
        Set<Integer> bound = ConcurrentHashMap.newKeySet();
        // the real in-process service (session checks, authorisation) over canned engine answers
        LocalKalamService service = new LocalKalamService(new FakeEngine(users),
                EngineWorkers.executor(vertx.createSharedWorkerExecutor("test-engine", 2)), role -> 0L);
        Futures.await(vertx.deployVerticle(() -> new KalamServiceVerticle(service),
                new DeploymentOptions().setInstances(2)));
        Futures.await(vertx.deployVerticle(() -> new HttpApiVerticle(config, bound::add),
                new DeploymentOptions().setInstances(3)));
        assertEquals(1, bound.size(), "every instance shares one random port: " + bound);
        port = bound.iterator().next();
        client = WebClient.create(vertx);
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void healthFromLocalhost() {
        for (String path : List.of("/health", "/v1/api/healthcheck")) {
            HttpResponse<Buffer> response = send(client.get(port, "127.0.0.1", path), null);
            assertEquals(200, response.statusCode());
            JsonObject body = response.bodyAsJsonObject();
            assertEquals("healthy", body.getString("status"));
            assertEquals("0.1.0", body.getString("version"));
            assertEquals("v1", body.getString("api_version"));
            assertTrue(body.containsKey("build_date"));
        }
    }

    /** Issue #9: every error of the API is JSON in the SQL shape, also for a path or a method it does not serve. */
    @Test
    void unknownPathsAndWrongMethodsAnswerJsonInTheSqlErrorShape() {
        HttpResponse<Buffer> wrongMethod = send(client.get(port, "127.0.0.1", "/v1/api/sql"), null);
        assertEquals("application/json", wrongMethod.getHeader("content-type"));
        assertApiError(wrongMethod, 405, "METHOD_NOT_ALLOWED",
                "method not allowed [method=GET, path=/v1/api/sql]; this path answers POST");
        assertApiError(send(client.post(port, "127.0.0.1", "/health"), "{}"), 405, "METHOD_NOT_ALLOWED",
                "method not allowed [method=POST, path=/health]; this path answers GET");
        for (String path : List.of("/", "/v1/api/nothing", "/v1/api/sql/extra", "/index.html")) {
            HttpResponse<Buffer> unknown = send(client.get(port, "127.0.0.1", path), null);
            assertEquals("application/json", unknown.getHeader("content-type"), path);
            assertApiError(unknown, 404, "NOT_FOUND", "no such endpoint [method=GET, path=" + path
                    + "]; the API is under /v1/api (docs/protocol.md)");
        }
        assertApiError(send(client.delete(port, "127.0.0.1", "/nowhere"), null), 404, "NOT_FOUND",
                "no such endpoint [method=DELETE, path=/nowhere]; the API is under /v1/api (docs/protocol.md)");
        HttpResponse<Buffer> notUpgraded = send(client.get(port, "127.0.0.1", "/v1/ws"), null);
        assertEquals("application/json", notUpgraded.getHeader("content-type"));
        assertApiError(notUpgraded, 400, "INVALID_INPUT",
                "WebSocket upgrade required: connect to /v1/ws with a WebSocket client (docs/protocol.md)");
    }

    @Test
    void sqlRunsAsTheTokensUserWithTheStoredRole() {
        String token = login("alice", "AlicePass1").getString("access_token");
        HttpResponse<Buffer> response = sql("Bearer " + token, "{\"sql\":\"SELECT whoami\"}");
        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.getHeader("content-type"));
        JsonObject body = response.bodyAsJsonObject();
        assertEquals("success", body.getString("status"));
        assertInstanceOf(Number.class, body.getValue("took"));
        assertEquals(new JsonArray().add(new JsonObject()
                .put("schema", new JsonArray()
                        .add(new JsonObject().put("name", "user").put("data_type", "Text").put("index", 0))
                        .add(new JsonObject().put("name", "role").put("data_type", "Text").put("index", 1))
                        .add(new JsonObject().put("name", "n").put("data_type", "BigInt").put("index", 2)))
                .put("rows", new JsonArray().add(new JsonArray().add("alice").add("user").add("42")))
                .put("row_count", 1)
                .put("as_user", "alice")), body.getJsonArray("results"));
        assertEquals(3, body.size(), "status, results and took only: " + body);
    }

    @Test
    void sqlPassesParamsAndNamespace() {
        String token = login("root", "RootPass123").getString("access_token");
        JsonObject body = sql("Bearer " + token,
                "{\"sql\":\"ECHO\",\"params\":[1,\"two\",null],\"namespace_id\":\"app\"}").bodyAsJsonObject();
        assertEquals(new JsonObject().put("row_count", 3).put("message", "ns=app params=[1, two, null]")
                .put("as_user", "root"), body.getJsonArray("results").getJsonObject(0));
    }

    @Test
    void authenticationFailuresOfReference23() {
        assertApiError(sql(null, "{\"sql\":\"SELECT 1\"}"), 401, "MISSING_AUTHORIZATION", "Authentication required");
        assertApiError(sql("Basic cm9vdDpSb290UGFzczEyMw==", "{\"sql\":\"SELECT 1\"}"), 401, "INVALID_CREDENTIALS",
                "The Authorization header must be 'Bearer <access_token>' (a token from POST /v1/api/auth/login); "
                        + "Basic and other schemes are not accepted");
        assertApiError(sql("Bearer forged.token.here", "{\"sql\":\"SELECT 1\"}"), 401, "INVALID_CREDENTIALS",
                "Invalid credentials");
        String refresh = login("alice", "AlicePass1").getString("refresh_token");
        assertApiError(sql("Bearer " + refresh, "{\"sql\":\"SELECT 1\"}"), 401, "INVALID_CREDENTIALS",
                "Invalid credentials");

        JwtService yesterday = jwt(Instant.now().minus(Duration.ofHours(25)));
        String expired = yesterday.issue(users.find("alice").orElseThrow()).accessToken();
        assertApiError(sql("Bearer " + expired, "{\"sql\":\"SELECT 1\"}"), 401, "TOKEN_EXPIRED", "Invalid credentials");

        JwtService now = jwt(Instant.now());
        UserRecord alice = users.find("alice").orElseThrow();
        String wrongRole = now.issue(alice.withRole(Role.SYSTEM, 0)).accessToken();
        assertApiError(sql("Bearer " + wrongRole, "{\"sql\":\"SELECT 1\"}"), 401, "INVALID_CREDENTIALS",
                "Invalid credentials");
        String unknown = now.issue(new UserRecord("ghost", "", Role.USER, null, "password", 0, null, null, 0, 0,
                null)).accessToken();
        assertApiError(sql("Bearer " + unknown, "{\"sql\":\"SELECT 1\"}"), 401, "INVALID_CREDENTIALS",
                "Invalid credentials");
        String locked = now.issue(new UserRecord("lucy", "", Role.USER, null, "password", 0, null, null, 0, 0, null))
                .accessToken();
        assertApiError(sql("Bearer " + locked, "{\"sql\":\"SELECT 1\"}"), 401, "ACCOUNT_LOCKED", "Account locked");
    }

    @Test
    void engineErrorsAndBadPayloads() {
        String auth = "Bearer " + login("alice", "AlicePass1").getString("access_token");
        assertApiError(sql(auth, "{\"sql\":\"BAD\"}"), 400, "INVALID_SQL", "syntax error [line=1, column=1]");
        assertApiError(sql(auth, "{\"sql\":\"FORBIDDEN\"}"), 403, "PERMISSION_DENIED", "not for you");
        // an unexpected engine failure: the client learns a reference, never the exception's text
        HttpResponse<Buffer> crash = sql(auth, "{\"sql\":\"CRASH\"}");
        assertEquals(500, crash.statusCode(), crash.bodyAsString());
        JsonObject crashError = crash.bodyAsJsonObject().getJsonObject("error");
        assertEquals("INTERNAL_ERROR", crashError.getString("code"));
        assertTrue(crashError.getString("message").matches("internal error \\[ref=[0-9a-f]+]"), crash.bodyAsString());
        HttpResponse<Buffer> badJson = sql(auth, "{\"sql\": nope");
        assertEquals(400, badJson.statusCode());
        assertEquals("INVALID_INPUT", badJson.bodyAsJsonObject().getJsonObject("error").getString("code"));
        assertTrue(badJson.bodyAsJsonObject().getJsonObject("error").getString("message")
                .startsWith("Invalid JSON payload: "));
    }

    @Test
    void bodyOverTheLimitIs413() {
        String auth = "Bearer " + login("alice", "AlicePass1").getString("access_token");
        String big = "{\"sql\":\"" + "x".repeat(MAX_BODY) + "\"}";
        HttpResponse<Buffer> response = sql(auth, big);
        assertEquals(413, response.statusCode());
        JsonObject body = response.bodyAsJsonObject();
        assertEquals("BODY_TOO_LARGE", body.getString("error"));
        assertEquals(MAX_BODY, body.getLong("max_bytes"));
        assertEquals(big.length(), body.getLong("size_bytes"));
        assertTrue(body.getString("message").contains(Integer.toString(MAX_BODY)));
    }

    @Test
    void loginAnswersTokensAndCookies() {
        HttpResponse<Buffer> response = send(client.post(port, "127.0.0.1", "/v1/api/auth/login"),
                "{\"username\":\"alice\",\"password\":\"AlicePass1\"}");
        assertEquals(200, response.statusCode());
        JsonObject body = response.bodyAsJsonObject();
        assertEquals(List.of("user", "admin_ui_access", "expires_at", "access_token", "refresh_token",
                "refresh_expires_at"), List.copyOf(body.fieldNames()));
        JsonObject user = body.getJsonObject("user");
        assertEquals("alice", user.getString("id"));
        assertEquals("user", user.getString("role"));
        assertTrue(user.containsKey("email") && user.getValue("email") == null);
        assertEquals("2025-11-27T10:00:00.123456+00:00", user.getString("created_at"));
        assertFalse(body.getBoolean("admin_ui_access"));
        Instant expires = Instant.parse(body.getString("expires_at"));
        Instant refreshExpires = Instant.parse(body.getString("refresh_expires_at"));
        assertEquals(Duration.ofDays(6), Duration.between(expires, refreshExpires));

        List<String> cookies = response.cookies();
        assertEquals(2, cookies.size(), cookies.toString());
        assertTrue(cookies.get(0).startsWith("kalamdb_auth=" + body.getString("access_token") + ";"), cookies.get(0));
        assertTrue(cookies.get(1).startsWith("kalamdb_refresh=" + body.getString("refresh_token") + ";"));
        for (String cookie : cookies) {
            assertTrue(cookie.contains("Path=/") && cookie.contains("HTTPOnly") && cookie.contains("SameSite=Strict"),
                    cookie);
        }
        assertTrue(login("root", "RootPass123").getBoolean("admin_ui_access"));
    }

    @Test
    void loginFailuresOfReference25() {
        assertAuthError(postLogin("{\"user\":\"alice\",\"password\":\"wrong\"}"), 401, "unauthorized",
                "Invalid credentials");
        assertAuthError(postLogin("{\"user\":\"nobody\",\"password\":\"wrong\"}"), 401, "unauthorized",
                "Invalid credentials");
        assertAuthError(postLogin("{\"user\":\"dave\",\"password\":\"DavePass1\"}"), 401, "unauthorized",
                "Invalid credentials");
        assertAuthError(postLogin("{\"user\":\"lucy\",\"password\":\"LucyPass1\"}"), 401, "account_locked",
                "Account locked");
        HttpResponse<Buffer> unknownField = postLogin("{\"user\":\"alice\",\"password\":\"AlicePass1\",\"x\":1}");
        assertEquals(400, unknownField.statusCode());
        assertTrue(unknownField.bodyAsJsonObject().getString("message").contains("unknown field `x`"));
        assertEquals(400, postLogin("{\"password\":\"AlicePass1\"}").statusCode());
        assertEquals(400, postLogin("not json").statusCode());
        assertEquals(400, postLogin("{\"user\":\"" + "u".repeat(129) + "\",\"password\":\"p\"}").statusCode());

        users.add("root", "", Role.SYSTEM);
        assertAuthError(postLogin("{\"user\":\"root\",\"password\":\"\"}"), 428, "setup_required",
                "Server requires initial setup. Root password is not configured.");
    }

    @Test
    void refreshRotatesTokensFromTheCookieOrABearerRefreshToken() {
        JsonObject first = login("alice", "AlicePass1");
        HttpResponse<Buffer> viaCookie = send(client.post(port, "127.0.0.1", "/v1/api/auth/refresh")
                .putHeader("Cookie", "kalamdb_refresh=" + first.getString("refresh_token")), null);
        assertEquals(200, viaCookie.statusCode(), viaCookie.bodyAsString());
        assertEquals("alice", viaCookie.bodyAsJsonObject().getJsonObject("user").getString("id"));
        assertEquals(2, viaCookie.cookies().size());

        HttpResponse<Buffer> viaBearer = send(client.post(port, "127.0.0.1", "/v1/api/auth/refresh")
                .putHeader("Authorization", "Bearer " + first.getString("refresh_token")), null);
        assertEquals(200, viaBearer.statusCode());

        assertAuthError(send(client.post(port, "127.0.0.1", "/v1/api/auth/refresh")
                        .putHeader("Authorization", "Bearer " + first.getString("access_token")), null),
                401, "unauthorized", "Refresh endpoint requires a refresh token");
        assertEquals(401, send(client.post(port, "127.0.0.1", "/v1/api/auth/refresh"), null).statusCode());

        users.put(users.find("alice").orElseThrow().withRole(Role.DBA, 0));
        assertAuthError(send(client.post(port, "127.0.0.1", "/v1/api/auth/refresh")
                        .putHeader("Authorization", "Bearer " + first.getString("refresh_token")), null),
                401, "unauthorized", "Token role does not match user role");
    }

    @Test
    void meFromBearerOrCookieAndLogoutClearsCookies() {
        JsonObject tokens = login("root", "RootPass123");
        JsonObject expected = new JsonObject().put("user", tokens.getJsonObject("user")).put("admin_ui_access", true);
        HttpResponse<Buffer> viaBearer = send(client.get(port, "127.0.0.1", "/v1/api/auth/me")
                .putHeader("Authorization", "Bearer " + tokens.getString("access_token")), null);
        assertEquals(expected, viaBearer.bodyAsJsonObject());
        HttpResponse<Buffer> viaCookie = send(client.get(port, "127.0.0.1", "/v1/api/auth/me")
                .putHeader("Cookie", "kalamdb_auth=" + tokens.getString("access_token")), null);
        assertEquals(expected, viaCookie.bodyAsJsonObject());
        assertEquals(401, send(client.get(port, "127.0.0.1", "/v1/api/auth/me"), null).statusCode());

        HttpResponse<Buffer> logout = send(client.post(port, "127.0.0.1", "/v1/api/auth/logout"), null);
        assertEquals(200, logout.statusCode());
        assertEquals(new JsonObject().put("message", "Logged out successfully"), logout.bodyAsJsonObject());
        assertEquals(2, logout.cookies().size());
        logout.cookies().forEach(cookie -> assertTrue(cookie.contains("Max-Age=0"), cookie));
    }

    @Test
    void firstRunSetupFromLocalhost() {
        users.add("root", "", Role.SYSTEM);
        JsonObject status = send(client.get(port, "127.0.0.1", "/v1/api/auth/status"), null).bodyAsJsonObject();
        assertEquals(true, status.getBoolean("needs_setup"));
        assertEquals(SetupStatusHandler.NEEDS_SETUP, status.getString("message"));

        HttpResponse<Buffer> weak = send(client.post(port, "127.0.0.1", "/v1/api/auth/setup"),
                "{\"user\":\"admin\",\"password\":\"short\",\"root_password\":\"RootPass123\"}");
        assertAuthError(weak, 400, "weak_password", "DBA user password: too short");

        HttpResponse<Buffer> done = send(client.post(port, "127.0.0.1", "/v1/api/auth/setup"),
                "{\"user\":\"admin\",\"password\":\"AdminPass123\",\"root_password\":\"RootPass123\","
                        + "\"email\":\"admin@example.com\"}");
        assertEquals(200, done.statusCode(), done.bodyAsString());
        assertEquals("Server setup complete. Root password configured and DBA user 'admin' created. Please login "
                + "to continue.", done.bodyAsJsonObject().getString("message"));
        assertEquals("dba", done.bodyAsJsonObject().getJsonObject("user").getString("role"));

        assertEquals(new JsonObject().put("needs_setup", false).put("message", SetupStatusHandler.READY),
                send(client.get(port, "127.0.0.1", "/v1/api/auth/status"), null).bodyAsJsonObject());
        assertAuthError(send(client.post(port, "127.0.0.1", "/v1/api/auth/setup"),
                        "{\"user\":\"admin2\",\"password\":\"AdminPass123\",\"root_password\":\"RootPass123\"}"),
                409, "already_configured", "Server is already configured");
        assertEquals(200, postLogin("{\"user\":\"root\",\"password\":\"RootPass123\"}").statusCode());
    }

    private JwtService jwt(Instant now) {
        return new JwtService(vertx, SECRET, 24, Clock.fixed(now, ZoneOffset.UTC));
    }

    private JsonObject login(String user, String password) {
        HttpResponse<Buffer> response = postLogin(new JsonObject().put("user", user).put("password", password)
                .encode());
        assertEquals(200, response.statusCode(), response.bodyAsString());
        return response.bodyAsJsonObject();
    }

    private HttpResponse<Buffer> postLogin(String body) {
        return send(client.post(port, "127.0.0.1", "/v1/api/auth/login"), body);
    }

    private HttpResponse<Buffer> sql(String authorization, String body) {
        HttpRequest<Buffer> request = client.post(port, "127.0.0.1", "/v1/api/sql");
        if (authorization != null) {
            request.putHeader("Authorization", authorization);
        }
        return send(request, body);
    }

    private static HttpResponse<Buffer> send(HttpRequest<Buffer> request, String body) {
        return Futures.await(body == null ? request.send() : request.putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer(body)));
    }

    private static void assertApiError(HttpResponse<Buffer> response, int status, String code, String message) {
        assertEquals(status, response.statusCode(), response.bodyAsString());
        JsonObject body = response.bodyAsJsonObject();
        assertEquals("error", body.getString("status"));
        assertEquals(new JsonArray(), body.getJsonArray("results"));
        assertInstanceOf(Number.class, body.getValue("took"));
        assertEquals(new JsonObject().put("code", code).put("message", message), body.getJsonObject("error"));
    }

    private static void assertAuthError(HttpResponse<Buffer> response, int status, String kind, String message) {
        assertEquals(status, response.statusCode(), response.bodyAsString());
        assertEquals(new JsonObject().put("error", kind).put("message", message), response.bodyAsJsonObject());
    }

    /** Canned SQL answers keyed by the statement text; users from the fake user service. */
    private record FakeEngine(UserService users) implements EngineOperations {
        @Override
        public List<StatementResult> execute(Session session, String sql, List<Object> params, String namespace) {
            return switch (sql) {
                case "SELECT whoami" -> List.of(StatementResult.rows(List.of(
                                new ColumnInfo("user", KalamType.TEXT, List.of()),
                                new ColumnInfo("role", KalamType.TEXT, List.of()),
                                new ColumnInfo("n", KalamType.BIGINT, List.of())),
                        List.<Object[]>of(new Object[] {session.userId(), session.role().wireName(), 42L}),
                        session.userId(), false));
                case "ECHO" -> List.of(StatementResult.message("ns=" + namespace + " params=" + params, params.size(),
                        session.userId()));
                case "BAD" -> throw KalamException.invalidSql("syntax error [line=1, column=1]");
                case "FORBIDDEN" -> throw KalamException.permissionDenied("not for you");
                // no stack trace: the server logs this unexpected failure, and the build log needs no trace of it
                case "CRASH" -> throw new RuntimeException("boom (an intended failure of this test)", null,
                        false, false) { };
                default -> List.of(StatementResult.message("ok", 0, session.userId()));
            };
        }
    }
}
