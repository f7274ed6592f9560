package io.kalamdb.server.http;

import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.server.auth.TokenPair;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The JSON of the auth endpoints (reference 2.5): the user info object and the login/refresh answer, with
 * RFC 3339 times in UTC written as {@code +00:00}.
 */
public final class AuthJson {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx",
            Locale.ROOT);
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx",
            Locale.ROOT);
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx",
            Locale.ROOT);

    private AuthJson() {
    }

    static JsonObject userInfo(UserRecord user) {
        return new JsonObject()
                .put("id", user.id())
                .put("role", user.role().wireName())
                .put("email", user.email())
                .put("created_at", rfc3339(fromMicros(user.createdAtMicros())))
                .put("updated_at", rfc3339(fromMicros(user.updatedAtMicros())));
    }

    public static JsonObject tokens(UserRecord user, TokenPair tokens) {
        return new JsonObject()
                .put("user", userInfo(user))
                .put("admin_ui_access", user.role().isAdmin())
                .put("expires_at", rfc3339(tokens.accessExpiresAt()))
                .put("access_token", tokens.accessToken())
                .put("refresh_token", tokens.refreshToken())
                .put("refresh_expires_at", rfc3339(tokens.refreshExpiresAt()));
    }

    static JsonObject me(UserRecord user) {
        return new JsonObject().put("user", userInfo(user)).put("admin_ui_access", user.role().isAdmin());
    }

    /** RFC 3339 with as many fraction digits as needed (none, 3 or 6), like chrono's {@code to_rfc3339}. */
    static String rfc3339(Instant instant) {
        int nanos = instant.getNano();
        DateTimeFormatter format = nanos == 0 ? SECONDS : nanos % 1_000_000 == 0 ? MILLIS : MICROS;
        return format.format(instant.atOffset(ZoneOffset.UTC));
    }

    static Instant fromMicros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
