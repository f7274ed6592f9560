package io.kalamdb.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.server.Futures;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JwtServiceTest {
    static final String SECRET = "test-secret-of-at-least-thirty-two-characters";
    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() {
        Futures.await(vertx.close());
    }

    static UserRecord user(String id, Role role) {
        return new UserRecord(id, "hash", role, id + "@example.com", "password", 0, null, null, 1_000_000L,
                2_000_000L, null);
    }

    private static JwtService service(Instant now) {
        return new JwtService(vertx, SECRET, 24, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void issuesAccessAndRefreshTokensThatVerify() {
        TokenPair pair = service(NOW).issue(user("alice", Role.USER));
        assertEquals(NOW.plus(Duration.ofHours(24)), pair.accessExpiresAt());
        assertEquals(NOW.plus(Duration.ofHours(24 * 7)), pair.refreshExpiresAt());
        assertEquals(NOW, pair.issuedAt());

        TokenClaims access = Futures.await(service(NOW).verify(pair.accessToken()));
        assertEquals("alice", access.subject());
        assertEquals(Role.USER, access.role());
        assertEquals("alice@example.com", access.email());
        assertEquals(TokenType.ACCESS, access.type());
        assertEquals(NOW.getEpochSecond(), access.issuedAtSeconds());
        assertEquals(NOW.plus(Duration.ofHours(24)).getEpochSecond(), access.expiresAtSeconds());

        TokenClaims refresh = Futures.await(service(NOW).verify(pair.refreshToken()));
        assertEquals(TokenType.REFRESH, refresh.type());
    }

    @Test
    void claimsAreThoseOfReference63() {
        String token = service(NOW).issue(user("bob", Role.DBA)).accessToken();
        JsonObject payload = payload(token);
        assertEquals("bob", payload.getString("sub"));
        assertEquals("kalamdb", payload.getString("iss"));
        assertEquals("dba", payload.getString("role"));
        assertEquals("access", payload.getString("token_type"));
        assertEquals("bob@example.com", payload.getString("email"));
        assertEquals(NOW.getEpochSecond(), payload.getLong("iat"));
        assertEquals(NOW.getEpochSecond() + 24 * 3600, payload.getLong("exp"));
        assertEquals("HS256", new JsonObject(decode(token.split("\\.")[0])).getString("alg"));
    }

    @Test
    void expiryHasSixtySecondsOfLeeway() {
        String token = service(NOW).issue(user("alice", Role.USER)).accessToken();
        Instant expiry = NOW.plus(Duration.ofHours(24));
        assertEquals("alice", Futures.await(service(expiry.plusSeconds(60)).verify(token)).subject());
        assertEquals(KalamErrorCode.TOKEN_EXPIRED, Futures.failure(service(expiry.plusSeconds(61)).verify(token)).code());
    }

    @Test
    void theLeewayIsConfigurable() {
        String token = service(NOW).issue(user("alice", Role.USER)).accessToken();
        Instant expiry = NOW.plus(Duration.ofHours(24));
        JwtService strictAtExpiry = new JwtService(vertx, SECRET, 24, 0, Clock.fixed(expiry, ZoneOffset.UTC));
        assertEquals(0, strictAtExpiry.leewaySeconds());
        assertEquals("alice", Futures.await(strictAtExpiry.verify(token)).subject());
        JwtService strictAfter = new JwtService(vertx, SECRET, 24, 0,
                Clock.fixed(expiry.plusSeconds(1), ZoneOffset.UTC));
        assertEquals(KalamErrorCode.TOKEN_EXPIRED, Futures.failure(strictAfter.verify(token)).code());
    }

    @Test
    void tokensCarryTheUsersGeneration() {
        UserRecord changed = user("dave", Role.USER).withPasswordHash("other", 3_000_000L).withRole(Role.SERVICE,
                4_000_000L);
        assertEquals(2, changed.tokenGeneration());
        TokenPair pair = service(NOW).issue(changed);
        assertEquals(2, payload(pair.accessToken()).getLong("gen"));
        assertEquals(2, Futures.await(service(NOW).verify(pair.accessToken())).generation());
        assertEquals(2, Futures.await(service(NOW).verify(pair.refreshToken())).principal().generation());

        long now = NOW.getEpochSecond();
        JsonObject claims = new JsonObject().put("sub", "carol").put("iss", "kalamdb").put("iat", now)
                .put("exp", now + 60).put("token_type", "access");
        assertEquals(0, Futures.await(service(NOW).verify(hs256(claims))).generation(), "no gen claim = 0");
        assertInvalid(claims.copy().put("gen", -1));
        assertInvalid(claims.copy().put("gen", "1"));
    }

    @Test
    void aVerifiedTokenIsRememberedButStillExpires() {
        Instant[] now = {NOW};
        Clock moving = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        JwtService jwt = new JwtService(vertx, SECRET, 24, moving);
        String token = jwt.issue(user("alice", Role.USER)).accessToken();
        TokenClaims first = Futures.await(jwt.verify(token));
        assertEquals(first, Futures.await(jwt.verify(token)), "the second check answers from the cache");
        now[0] = NOW.plus(Duration.ofHours(24)).plusSeconds(61);
        assertEquals(KalamErrorCode.TOKEN_EXPIRED, Futures.failure(jwt.verify(token)).code(),
                "a remembered token expires like any other");
        String forged = token.substring(0, token.length() - 2) + "xy";
        assertEquals(KalamErrorCode.INVALID_CREDENTIALS, Futures.failure(jwt.verify(forged)).code());
    }

    @Test
    void forgedOrMalformedTokensAreInvalidCredentials() {
        String token = service(NOW).issue(user("alice", Role.USER)).accessToken();
        String forged = new JwtService(vertx, "another-secret-of-at-least-thirty-two-chars", 24,
                Clock.fixed(NOW, ZoneOffset.UTC)).issue(user("alice", Role.SYSTEM)).accessToken();
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + encode(payload(token).put("role", "system").encode()) + "." + parts[2];
        String none = encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
        for (String bad : new String[] {forged, tampered, none, "garbage", "a.b.c", ""}) {
            var error = Futures.failure(service(NOW).verify(bad));
            assertEquals(KalamErrorCode.INVALID_CREDENTIALS, error.code(), bad);
            assertEquals("Invalid credentials", error.getMessage());
        }
    }

    @Test
    void acceptsStandardHs256WithTheRawSecretAndChecksClaims() {
        long now = NOW.getEpochSecond();
        JsonObject claims = new JsonObject().put("sub", "carol").put("iss", "kalamdb").put("iat", now)
                .put("exp", now + 60).put("token_type", "access");
        TokenClaims verified = Futures.await(service(NOW).verify(hs256(claims)));
        assertEquals("carol", verified.subject());
        assertNull(verified.role());

        assertInvalid(claims.copy().put("iss", "someone-else"));
        assertInvalid(claims.copy().put("sub", ""));
        assertInvalid(withoutField(claims, "sub"));
        assertInvalid(withoutField(claims, "exp"));
        assertInvalid(withoutField(claims, "token_type"));
        assertInvalid(claims.copy().put("token_type", "id"));
        assertInvalid(claims.copy().put("role", "superuser"));
        assertInvalid(claims.copy().put("iat", now + 3600));
        assertInvalid(claims.copy().put("nbf", now + 3600));
    }

    private static void assertInvalid(JsonObject claims) {
        assertEquals(KalamErrorCode.INVALID_CREDENTIALS, Futures.failure(service(NOW).verify(hs256(claims))).code(),
                claims.encode());
    }

    private static JsonObject withoutField(JsonObject claims, String field) {
        JsonObject copy = claims.copy();
        copy.remove(field);
        return copy;
    }

    /** A token signed the standard way (RFC 7515), independent of Vert.x. */
    static String hs256(JsonObject claims) {
        String signingInput = encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + encode(claims.encode());
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject payload(String token) {
        return new JsonObject(decode(token.split("\\.")[1]));
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
