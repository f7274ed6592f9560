package io.kalamdb.server.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/api/auth/logout} (reference 2.5): clears both auth cookies. Tokens are stateless, so an
 * access token stays valid until it expires.
 */
final class LogoutHandler implements Handler<RoutingContext> {
    private static final JsonObject LOGGED_OUT = new JsonObject().put("message", "Logged out successfully");

    @Override
    public void handle(RoutingContext ctx) {
        AuthCookies.clear(ctx.response());
        Responses.json(ctx, 200, LOGGED_OUT);
    }
}
