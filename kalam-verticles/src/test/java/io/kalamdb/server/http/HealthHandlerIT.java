package io.kalamdb.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kalamdb.server.Futures;
import io.kalamdb.server.ServerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /health} over a real socket follows the node's storage: 200 {@code healthy} while it serves, 503
 * {@code unhealthy} with the reason once the storage stopped (fail-stop), so that a supervisor restarts it.
 */
@ExtendWith(VertxExtension.class)
class HealthHandlerIT {

    @Test
    void healthTurns503WithTheReasonWhenTheStorageStops(Vertx vertx) {
        AtomicReference<String> reason = new AtomicReference<>();
        ServerConfig config = ServerConfig.of(Map.of("server.port", "0",
                "auth.jwt_secret", "health-it-secret-of-at-least-32-characters"));
        Set<Integer> bound = ConcurrentHashMap.newKeySet();
        Futures.await(vertx.deployVerticle(new HttpApiVerticle(config, bound::add, reason::get)));
        int port = bound.iterator().next();
        WebClient client = WebClient.create(vertx);
        try {
            for (String path : List.of("/health", "/v1/api/healthcheck")) {
                HttpResponse<Buffer> ok = Futures.await(client.get(port, "127.0.0.1", path).send());
                assertEquals(200, ok.statusCode());
                assertEquals("healthy", ok.bodyAsJsonObject().getString("status"));
            }

            reason.set("the write log could not make writes durable and stopped");
            for (String path : List.of("/health", "/v1/api/healthcheck")) {
                HttpResponse<Buffer> down = Futures.await(client.get(port, "127.0.0.1", path).send());
                assertEquals(503, down.statusCode());
                JsonObject body = down.bodyAsJsonObject();
                assertEquals("unhealthy", body.getString("status"));
                assertEquals("the write log could not make writes durable and stopped", body.getString("reason"));
                assertEquals("v1", body.getString("api_version"));
            }

            reason.set(null);
            assertEquals(200, Futures.await(client.get(port, "127.0.0.1", "/health").send()).statusCode());
        } finally {
            client.close();
        }
    }
}
