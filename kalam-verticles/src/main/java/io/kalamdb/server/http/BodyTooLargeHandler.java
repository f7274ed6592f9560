package io.kalamdb.server.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a request whose body is over {@code security.max_request_body_size} (the body handler fails it with
 * 413): {@code {"error":"BODY_TOO_LARGE","message":…,"size_bytes":n,"max_bytes":m}} (reference 2.2).
 */
final class BodyTooLargeHandler implements Handler<RoutingContext> {
    private final long maxBytes;

    BodyTooLargeHandler(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void handle(RoutingContext ctx) {
        JsonObject body = new JsonObject()
                .put("error", "BODY_TOO_LARGE")
                .put("message", "Request body is larger than the limit of " + maxBytes + " bytes");
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                body.put("size_bytes", Long.parseLong(length.trim()));
            } catch (NumberFormatException ignored) {
                // no usable size: leave it out
            }
        }
        body.put("max_bytes", maxBytes);
        Responses.json(ctx, 413, body);
    }
}
