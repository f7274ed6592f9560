package io.kalamdb.server.http;

import io.kalamdb.server.auth.TokenPair;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.time.Duration;
import java.time.Instant;

/**
 * The {@code kalamdb_auth} (access token) and {@code kalamdb_refresh} cookies: HttpOnly, SameSite=Strict, Path=/.
 * They let the Admin UI call {@code /auth/me} and {@code /auth/refresh}; {@code /v1/api/sql} ignores them.
 */
final class AuthCookies {
    static final String ACCESS = "kalamdb_auth";
    static final String REFRESH = "kalamdb_refresh";

    private AuthCookies() {
    }

    static void set(HttpServerResponse response, TokenPair tokens) {
        Instant issued = tokens.issuedAt();
        response.addCookie(cookie(ACCESS, tokens.accessToken(), Duration.between(issued, tokens.accessExpiresAt())));
        response.addCookie(cookie(REFRESH, tokens.refreshToken(), Duration.between(issued, tokens.refreshExpiresAt())));
    }

    static void clear(HttpServerResponse response) {
        response.addCookie(cookie(ACCESS, "", Duration.ZERO));
        response.addCookie(cookie(REFRESH, "", Duration.ZERO));
    }

    /** A cookie's value, or null when the request does not carry it (or carries it empty). */
    static String read(HttpServerRequest request, String name) {
        Cookie cookie = request.getCookie(name);
        return cookie == null || cookie.getValue().isEmpty() ? null : cookie.getValue();
    }

    private static Cookie cookie(String name, String value, Duration maxAge) {
        return Cookie.cookie(name, value).setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setPath("/")
                .setMaxAge(Math.max(0, maxAge.toSeconds()));
    }
}
