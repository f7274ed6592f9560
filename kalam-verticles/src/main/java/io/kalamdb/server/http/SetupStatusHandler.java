package io.kalamdb.server.http;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.api.KalamService;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.server.bus.EngineCalls;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/api/auth/status} (reference 2.5, localhost only): whether first-run setup is still needed.
 */
final class SetupStatusHandler implements Handler<RoutingContext> {
    static final String NEEDS_SETUP = "Server requires initial setup. Call POST /v1/api/auth/setup with user, "
            + "password, root_password, and optional email.";
    static final String READY = "Server is configured and ready.";

    private final KalamService engine;

    SetupStatusHandler(KalamService engine) {
        this.engine = requireNonNull(engine, "engine is null");
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (!Localhost.isLocal(ctx.request())) {
            Responses.authError(ctx, KalamException.permissionDenied("Setup status is only available from localhost"));
            return;
        }
        EngineCalls.future(engine.needsSetup())
                .onSuccess(needed -> Responses.json(ctx, 200, new JsonObject()
                        .put("needs_setup", needed)
                        .put("message", needed ? NEEDS_SETUP : READY)))
                .onFailure(failure -> Responses.authError(ctx, failure));
    }
}
