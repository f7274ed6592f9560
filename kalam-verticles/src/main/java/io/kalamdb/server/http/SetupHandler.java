package io.kalamdb.server.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kalamdb.engine.api.KalamService;
import io.kalamdb.engine.api.SetupRequest;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.server.bus.EngineCalls;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * {@code POST /v1/api/auth/setup} (reference 2.5, localhost only): sets root's password and creates a dba user;
 * it does not log in.
 */
final class SetupHandler implements Handler<RoutingContext> {
    private static final Set<String> FIELDS = Set.of("user", "password", "root_password", "email");

    private final KalamService engine;

    SetupHandler(KalamService engine) {
        this.engine = requireNonNull(engine, "engine is null");
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (!Localhost.isLocal(ctx.request())) {
            Responses.authError(ctx, KalamException.permissionDenied("Server setup can only be performed from localhost"));
            return;
        }
        SetupRequest request;
        try {
            ObjectNode body = JsonBodies.strictObject(ctx.body().buffer(), FIELDS);
            request = new SetupRequest(JsonBodies.requiredString(body, "user"),
                    JsonBodies.requiredString(body, "password"), JsonBodies.requiredString(body, "root_password"),
                    JsonBodies.optionalString(body, "email"));
        } catch (KalamException e) {
            Responses.authError(ctx, e);
            return;
        }
        EngineCalls.future(engine.setup(request))
                .onSuccess(user -> Responses.json(ctx, 200, new JsonObject()
                        .put("user", AuthJson.userInfo(user))
                        .put("message", "Server setup complete. Root password configured and DBA user '" + user.id()
                                + "' created. Please login to continue.")))
                .onFailure(failure -> Responses.authError(ctx, failure));
    }
}
