package io.kalamdb.server.http;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Supplier;

/**
 * {@code GET /health} and {@code GET /v1/api/healthcheck}: liveness, from localhost only (reference 2.8). A node
 * whose storage stopped (fail-stop after a failed write-ahead log sync) answers 503 {@code "unhealthy"} with the
 * reason, so that a supervisor restarts it. A node whose disk is full answers 503 {@code "degraded"} with the
 * reason: it serves reads, refuses writes, and recovers by itself once space is freed (a restart would not help).
 */
final class HealthHandler implements Handler<RoutingContext> {
    private final JsonObject healthy;
    private final Supplier<String> unhealthyReason;
    private final Supplier<String> degradedReason;

    /**
     * @param unhealthyReason why the node cannot serve, or null while it can
     */
    HealthHandler(BuildInfo build, Supplier<String> unhealthyReason) {
        this(build, unhealthyReason, () -> null);
    }

    /**
     * @param unhealthyReason why the node cannot serve, or null while it can
     * @param degradedReason why the node refuses writes for now, or null while it accepts them
     */
    HealthHandler(BuildInfo build, Supplier<String> unhealthyReason, Supplier<String> degradedReason) {
        requireNonNull(build, "build is null");
        this.unhealthyReason = requireNonNull(unhealthyReason, "unhealthyReason is null");
        this.degradedReason = requireNonNull(degradedReason, "degradedReason is null");
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
        String reason = unhealthyReason.get();
        if (reason != null) {
            Responses.json(ctx, 503, healthy.copy().put("status", "unhealthy").put("reason", reason));
            return;
        }
        String degraded = degradedReason.get();
        if (degraded != null) {
            Responses.json(ctx, 503, healthy.copy().put("status", "degraded").put("reason", degraded));
            return;
        }
        Responses.json(ctx, 200, healthy);
    }
}
