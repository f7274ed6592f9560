package io.kalamdb.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.server.auth.TokenPair;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class AuthJsonTest {

    @Test
    void rfc3339WithTheFractionDigitsNeeded() {
        assertEquals("2026-11-27T10:00:00+00:00", AuthJson.rfc3339(Instant.parse("2026-11-27T10:00:00Z")));
        assertEquals("2026-11-27T10:00:00.120+00:00", AuthJson.rfc3339(Instant.parse("2026-11-27T10:00:00.12Z")));
        assertEquals("2026-11-27T10:00:00.123456+00:00",
                AuthJson.rfc3339(Instant.parse("2026-11-27T10:00:00.123456Z")));
    }

    @Test
    void loginAnswerShape() {
        UserRecord user = new UserRecord("alice", "h", Role.USER, null, "password", 0, null, null,
                1_764_237_600_000_000L, 1_764_237_600_500_000L, null);
        TokenPair tokens = new TokenPair("A", Instant.parse("2026-11-28T10:00:00Z"), "R",
                Instant.parse("2026-12-04T10:00:00Z"), Instant.parse("2026-11-27T10:00:00Z"));
        JsonObject expected = new JsonObject()
                .put("user", new JsonObject().put("id", "alice").put("role", "user").putNull("email")
                        .put("created_at", "2025-11-27T10:00:00+00:00")
                        .put("updated_at", "2025-11-27T10:00:00.500+00:00"))
                .put("admin_ui_access", false)
                .put("expires_at", "2026-11-28T10:00:00+00:00")
                .put("access_token", "A")
                .put("refresh_token", "R")
                .put("refresh_expires_at", "2026-12-04T10:00:00+00:00");
        assertEquals(expected.encode(), AuthJson.tokens(user, tokens).encode());
    }
}
