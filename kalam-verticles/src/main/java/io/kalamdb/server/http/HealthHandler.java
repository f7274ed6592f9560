package io.kalamdb.server.http;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /health} and {@code GET /v1/api/healthcheck}: liveness, from localhost only (reference 2.8).
 */
final class HealthHandler implements Handler<RoutingContext> {
    private final JsonObject healthy;

    HealthHandler(BuildInfo build) {
        requireNonNull(build, "build is null");
        this.healthy = new JsonObject()
                .put("status", "healthy")
                .put("version", build.version())
                .put("api_version", "v1")
                .put("build_date", build.buildDate());
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (!Localhost.isLocal(ctx.request())) {
            Responses.json(ctx, 403, new JsonObject().put("error", "Access denied. Health endpoint is localhost-only."));
            return;
        }
        Responses.json(ctx, 200, healthy);
    }
}
