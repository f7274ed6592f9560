package io.kalamdb.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.server.Futures;
import io.kalamdb.server.KalamServer;
import io.kalamdb.server.ServerConfig;
import io.kalamdb.server.auth.JwtService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sessions follow the user's current rights (issue #7), against the real server on port 0: after DROP USER, a
 * role change, a lock (admin or five wrong passwords) or a password change, the user's earlier access token gets
 * 401 on {@code /v1/api/sql}, its refresh token cannot refresh, and its open WebSocket subscription receives an
 * {@code error} frame and is closed, while another user's connection goes on. A WebSocket ends when its token
 * expires unless the client re-authenticated; a dropped and re-created user starts empty; twenty concurrent wrong
 * passwords lock the account at exactly five counted failures.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionRevocationIT {
    private static final String ROOT_PASSWORD = "RootPass123!";
    private static final String SECRET = "session-revocation-test-secret-0123456789";
    private static final String NOTES = "SELECT * FROM app.notes";

    private static KalamServer server;
    private static ApiClient api;
    private static Vertx vertx;
    private static String root;
    private static String bystander;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> values = new HashMap<>();
        values.put("server.port", "0");
        values.put("server.engine_workers", "8");
        values.put("storage.data_path", Files.createTempDirectory("kalam-sessions").toString());
        values.put("auth.root_password", ROOT_PASSWORD);
        values.put("auth.bcrypt_cost", "4");
        values.put("auth.jwt_secret", SECRET);
        values.put("auth.jwt_leeway_secs", "0");
        server = Futures.await(KalamServer.start(ServerConfig.of(values)));
        api = new ApiClient(server.baseUrl());
        vertx = Vertx.vertx();
        root = api.login("root", ROOT_PASSWORD);
        api.ok(root, "CREATE NAMESPACE app");
        api.ok(root, "CREATE TABLE app.notes (id BIGINT DEFAULT SNOWFLAKE_ID() PRIMARY KEY, body TEXT) "
                + "WITH (TYPE='USER')");
        api.ok(root, "CREATE TABLE app.typing (id BIGINT DEFAULT SNOWFLAKE_ID() PRIMARY KEY, body TEXT) "
                + "WITH (TYPE='STREAM', TTL_SECONDS=3600)");
        api.ok(root, "CREATE USER 'bystander' WITH PASSWORD 'Bystander123!' ROLE user");
        bystander = api.login("bystander", "Bystander123!");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (vertx != null) {
            Futures.await(vertx.close());
        }
    }

    /** Access and refresh token of one login. */
    private record Tokens(String access, String refresh) {
    }

    private static Tokens login(String user, String password) {
        ApiClient.Reply r = api.post("/v1/api/auth/login", null,
                new JsonObject().put("user", user).put("password", password).encode());
        assertEquals(200, r.status(), "login " + user + " -> " + r.body());
        return new Tokens(r.json().getString("access_token"), r.json().getString("refresh_token"));
    }

    private static ApiClient.Reply refresh(String refreshToken) {
        return api.post("/v1/api/auth/refresh", refreshToken, "{}");
    }

    private static String createUser(String name, String password) {
        api.ok(root, "CREATE USER '" + name + "' WITH PASSWORD '" + password + "' ROLE user");
        return name;
    }

    // ---------- revocation on a change of the user ----------

    @Test
    void dropUserEndsTokensAndSubscriptions() {
        String user = createUser("rev_drop", "RevDrop123!");
        revokedBy(user, "RevDrop123!", () -> api.ok(root, "DROP USER '" + user + "'"), "INVALID_CREDENTIALS");
        assertEquals(401, api.post("/v1/api/auth/login", null,
                new JsonObject().put("user", user).put("password", "RevDrop123!").encode()).status());
    }

    @Test
    void roleChangeEndsTokensAndSubscriptions() {
        String user = createUser("rev_role", "RevRole123!");
        revokedBy(user, "RevRole123!", () -> api.ok(root, "ALTER USER '" + user + "' SET ROLE service"),
                "INVALID_CREDENTIALS");
        ApiClient.Reply fresh = api.post("/v1/api/auth/login", null,
                new JsonObject().put("user", user).put("password", "RevRole123!").encode());
        assertEquals("service", fresh.json().getJsonObject("user").getString("role"), fresh.body());
        assertEquals(200, api.sql(fresh.json().getString("access_token"), NOTES).status(),
                "a fresh login works with the new role");
    }

    @Test
    void passwordChangeEndsTokensAndSubscriptions() {
        String user = createUser("rev_pass", "RevPass123!");
        revokedBy(user, "RevPass123!", () -> api.ok(root, "ALTER USER '" + user + "' SET PASSWORD 'NewPass456!'"),
                "INVALID_CREDENTIALS");
        assertEquals(401, api.post("/v1/api/auth/login", null,
                new JsonObject().put("user", user).put("password", "RevPass123!").encode()).status());
        assertEquals(200, api.sql(login(user, "NewPass456!").access(), NOTES).status());
    }

    @Test
    void adminLockEndsTokensAndSubscriptionsAndUnlockDoesNotReviveThem() {
        String user = createUser("rev_lock", "RevLock123!");
        Tokens old = revokedBy(user, "RevLock123!", () -> api.ok(root, "ALTER USER '" + user + "' LOCK"),
                "ACCOUNT_LOCKED");
        ApiClient.Reply locked = api.post("/v1/api/auth/login", null,
                new JsonObject().put("user", user).put("password", "RevLock123!").encode());
        assertEquals(401, locked.status(), locked.body());
        assertEquals("account_locked", locked.json().getString("error"), locked.body());
        ApiClient.Reply row = api.ok(root, "SELECT failed_login_attempts, locked_until FROM system.users "
                + "WHERE user_id = '" + user + "'");
        assertEquals(1, row.rows(0).size(), row.body());
        assertEquals(253_402_300_799_999_000L, row.rows(0).getJsonArray(0).getLong(1), row.body());

        api.ok(root, "ALTER USER '" + user + "' UNLOCK");
        assertEquals(401, api.sql(old.access(), NOTES).status(), "the lock ended the earlier tokens for good");
        assertEquals(401, refresh(old.refresh()).status());
        assertEquals(200, api.sql(login(user, "RevLock123!").access(), NOTES).status());
    }

    @Test
    void fiveWrongPasswordsLockTheAccountAndEndItsSubscriptions() {
        String user = createUser("rev_brute", "RevBrute123!");
        Tokens old = revokedBy(user, "RevBrute123!", () -> {
            for (int i = 0; i < 5; i++) {
                ApiClient.Reply wrong = api.post("/v1/api/auth/login", null,
                        new JsonObject().put("user", user).put("password", "Wrong" + i + "Pass!").encode());
                assertEquals(401, wrong.status(), wrong.body());
            }
        }, "ACCOUNT_LOCKED");
        ApiClient.Reply row = api.ok(root, "SELECT failed_login_attempts FROM system.users WHERE user_id = '"
                + user + "'");
        assertEquals(5, row.rows(0).getJsonArray(0).getInteger(0), row.body());
        // the documented policy: a lockout by wrong passwords suspends the tokens; an admin unlock restores them
        api.ok(root, "ALTER USER '" + user + "' UNLOCK");
        assertEquals(200, api.sql(old.access(), NOTES).status());
    }

    @Test
    void twentyConcurrentWrongPasswordsOverHttpLockAtExactlyFive() throws Exception {
        String user = createUser("rev_crowd", "RevCrowd123!");
        int attempts = 20;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ApiClient.Reply>> replies = new ArrayList<>();
        try {
            for (int i = 0; i < attempts; i++) {
                String password = "Wrong" + i + "Pass!";
                replies.add(pool.submit(() -> {
                    go.await();
                    return api.post("/v1/api/auth/login", null,
                            new JsonObject().put("user", user).put("password", password).encode());
                }));
            }
            go.countDown();
            for (Future<ApiClient.Reply> reply : replies) {
                ApiClient.Reply r = reply.get(30, TimeUnit.SECONDS);
                assertEquals(401, r.status(), r.body());
                assertTrue(List.of("unauthorized", "account_locked").contains(r.json().getString("error")), r.body());
            }
        } finally {
            pool.shutdownNow();
        }
        ApiClient.Reply row = api.ok(root, "SELECT failed_login_attempts FROM system.users WHERE user_id = '"
                + user + "'");
        assertEquals(5, row.rows(0).getJsonArray(0).getInteger(0), "no failure lost, none counted past the lock");
        ApiClient.Reply right = api.post("/v1/api/auth/login", null,
                new JsonObject().put("user", user).put("password", "RevCrowd123!").encode());
        assertEquals(401, right.status(), right.body());
        assertEquals("account_locked", right.json().getString("error"), right.body());
    }

    /**
     * Logs the user in, opens a subscription for it and one for the bystander, runs the change, and checks that
     * the user's access token (401 with {@code httpCode}), refresh token and subscription are over while the
     * bystander's subscription still gets its changes.
     */
    private static Tokens revokedBy(String user, String password, Runnable change, String httpCode) {
        Tokens tokens = login(user, password);
        assertEquals(200, api.sql(tokens.access(), NOTES).status());
        try (WsClient mine = WsClient.authenticated(api.baseUrl(), tokens.access());
             WsClient other = WsClient.authenticated(api.baseUrl(), bystander)) {
            mine.subscribeAndLoad("mine", NOTES, null);
            other.subscribeAndLoad("other", NOTES, null);

            change.run();

            JsonObject error = mine.nextFor("mine");
            assertEquals("error", error.getString("type"), error.encode());
            assertEquals("AUTH_REVOKED", error.getString("code"), error.encode());
            assertEquals(1008, mine.awaitClose(), "closed with policy violation");

            ApiClient.Reply sql = api.sql(tokens.access(), NOTES);
            assertEquals(401, sql.status(), sql.body());
            assertEquals(httpCode, sql.errorCode(), sql.body());
            ApiClient.Reply refreshed = refresh(tokens.refresh());
            assertEquals(401, refreshed.status(), refreshed.body());

            api.ok(bystander, "INSERT INTO app.notes (body) VALUES ('still here after " + user + "')");
            JsonObject change2 = other.nextFor("other");
            assertEquals("change", change2.getString("type"), change2.encode());
            assertFalse(other.isClosed());
        }
        return tokens;
    }

    // ---------- expiry ----------

    @Test
    void aWebSocketEndsWhenItsTokenExpiresUnlessReAuthenticated() {
        String user = createUser("shorty", "Shorty123!");
        String longLived = login(user, "Shorty123!").access();
        try (WsClient expiring = WsClient.authenticated(api.baseUrl(), shortToken(user, 3));
             WsClient renewed = WsClient.authenticated(api.baseUrl(), shortToken(user, 2))) {
            expiring.subscribeAndLoad("e", NOTES, null);
            renewed.subscribeAndLoad("r", NOTES, null);
            renewed.send(new JsonObject().put("type", "authenticate").put("method", "jwt").put("token", longLived)
                    .put("protocol", new JsonObject().put("serialization", "json").put("compression", "gzip")));
            JsonObject again = renewed.next(f -> "auth_success".equals(f.getString("type")));
            assertEquals(user, again.getString("user"));

            // the 3 s token runs out a second after the re-authenticated socket's first token would have
            JsonObject expired = expiring.nextFor("e");
            assertEquals("error", expired.getString("type"), expired.encode());
            assertEquals("TOKEN_EXPIRED", expired.getString("code"), expired.encode());
            assertEquals(1008, expiring.awaitClose());

            api.ok(longLived, "INSERT INTO app.notes (body) VALUES ('after expiry')");
            JsonObject change = renewed.nextFor("r");
            assertEquals("change", change.getString("type"), change.encode());
            assertFalse(renewed.isClosed(), "the re-authenticated socket lives on");
        }
    }

    @Test
    void reAuthenticatingAsAnotherUserEndsTheConnection() {
        String user = createUser("switcher", "Switcher123!");
        try (WsClient ws = WsClient.authenticated(api.baseUrl(), login(user, "Switcher123!").access())) {
            ws.subscribeAndLoad("s", NOTES, null);
            ws.send(new JsonObject().put("type", "authenticate").put("method", "jwt").put("token", bystander)
                    .put("protocol", new JsonObject().put("serialization", "json").put("compression", "gzip")));
            JsonObject error = ws.nextFor("s");
            assertEquals("AUTH_REVOKED", error.getString("code"), error.encode());
            assertEquals(1008, ws.awaitClose());
        }
    }

    /** An access token for a never-changed user (generation 0) that expires {@code seconds} from now. */
    private static String shortToken(String user, int seconds) {
        Instant issuedAt = Instant.now().plusSeconds(seconds).minus(Duration.ofHours(1));
        JwtService issuer = new JwtService(vertx, SECRET, 1, Clock.fixed(issuedAt, ZoneOffset.UTC));
        return issuer.issue(new UserRecord(user, "", Role.USER, null, "password", 0, null, null, 0, 0, null))
                .accessToken();
    }

    // ---------- a re-created user ----------

    @Test
    void aReCreatedUserStartsEmptyAndTheOldTokensStayDead() {
        String user = createUser("phoenix", "Phoenix123!");
        Tokens old = login(user, "Phoenix123!");
        api.ok(old.access(), "INSERT INTO app.notes (body) VALUES ('old life 1'), ('old life 2')");
        api.ok(old.access(), "INSERT INTO app.typing (body) VALUES ('old typing')");
        assertEquals(2, api.ok(old.access(), NOTES).rows(0).size());
        assertEquals(1, api.ok(old.access(), "SELECT * FROM app.typing").rows(0).size());

        api.ok(root, "DROP USER '" + user + "'");
        api.ok(root, "CREATE USER '" + user + "' WITH PASSWORD 'Phoenix456!' ROLE user");

        assertEquals(401, api.sql(old.access(), NOTES).status(), "the old account's token does not revive");
        assertEquals(401, refresh(old.refresh()).status());
        String fresh = login(user, "Phoenix456!").access();
        assertEquals(List.of(), api.ok(fresh, NOTES).rows(0).getList(), "the new account starts empty");
        assertEquals(List.of(), api.ok(fresh, "SELECT * FROM app.typing").rows(0).getList());
        assertEquals(List.of(), api.ok(root, "EXECUTE AS USER '" + user + "' (SELECT * FROM app.notes)").rows(0)
                .getList());
        try (WsClient ws = WsClient.authenticated(api.baseUrl(), fresh)) {
            assertTrue(ws.subscribeAndLoad("p", NOTES, null).isEmpty());
        }
    }
}
