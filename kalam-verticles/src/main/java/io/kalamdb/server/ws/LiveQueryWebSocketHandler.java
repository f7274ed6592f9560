package io.kalamdb.server.ws;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.api.KalamService;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.server.Addresses;
import io.kalamdb.server.auth.JwtService;
import io.kalamdb.server.error.ErrorMapper;
import io.kalamdb.server.http.SqlResponseWriter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/ws} (reference 3.1): upgrades to a live-query WebSocket on the HTTP API's own server and port,
 * and keeps the connections of one {@code HttpApiVerticle} instance: the heartbeat checker closes idle ones
 * (1000 "Heartbeat timeout"), {@link #shutdown} closes them all (1001 "Server shutting down"), and a change of a
 * user ({@link Addresses#USER_CHANGED}) has that user's connections check their token again.
 *
 * <p>A route handler rather than a verticle of its own: a WebSocket must be accepted by the HTTP server that
 * owns the port, so each HTTP verticle instance mounts one. Its connections live on that instance's event loop,
 * which is also where this handler, its timer and its connection set run.
 */
public final class LiveQueryWebSocketHandler implements Handler<RoutingContext> {
    private static final String UPGRADE_REQUIRED = "WebSocket upgrade required: connect to /v1/ws with a WebSocket "
            + "client (docs/protocol.md)";
    private static final Logger LOG = LoggerFactory.getLogger(LiveQueryWebSocketHandler.class);
    private static final long SHUTDOWN_WAIT_MS = 2_000;

    private final Vertx vertx;
    private final WsSettings settings;
    private final WsAuthenticator authenticator;
    private final KalamService engine;
    private final Set<WsConnection> connections = new HashSet<>();
    private final long heartbeatTimer;
    private final MessageConsumer<String> userChanges;
    private boolean shuttingDown;

    public LiveQueryWebSocketHandler(Vertx vertx, WsSettings settings, JwtService jwt, KalamService engine) {
        this.vertx = requireNonNull(vertx, "vertx is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.authenticator = new WsAuthenticator(requireNonNull(jwt, "jwt is null"), engine);
        this.heartbeatTimer = vertx.setPeriodic(settings.heartbeatIntervalMs(), id -> closeIdle());
        this.userChanges = vertx.eventBus().localConsumer(Addresses.USER_CHANGED, m -> onUserChanged(m.body()));
    }

    /** Connections authenticated as this user check their token against the changed record. */
    private void onUserChanged(String userId) {
        for (WsConnection connection : new ArrayList<>(connections)) {
            if (userId.equals(connection.userId())) {
                connection.recheck();
            }
        }
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (shuttingDown) {
            refuse(ctx, KalamErrorCode.SHUTTING_DOWN, "Server is shutting down");
            return;
        }
        if (!"websocket".equalsIgnoreCase(String.valueOf(request.getHeader(HttpHeaders.UPGRADE)).trim())) {
            refuse(ctx, KalamErrorCode.INVALID_INPUT, UPGRADE_REQUIRED);
            return;
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        boolean compress = !"false".equalsIgnoreCase(request.getParam("compress"));
        WsProtocol upgradeProtocol = WsProtocol.of(request.getParam("serialization"),
                request.getParam("compression"));
        Context context = vertx.getOrCreateContext();
        request.toWebSocket().onComplete(ar -> {
            if (ar.failed()) {
                if (!ctx.response().ended()) {
                    refuse(ctx, KalamErrorCode.INVALID_INPUT, UPGRADE_REQUIRED);
                }
                return;
            }
            if (shuttingDown) {
                ar.result().close(WsConnection.CLOSE_GOING_AWAY, "Server shutting down");
                return;
            }
            WsConnection connection = new WsConnection(ar.result(), context, newConnectionId(), settings,
                    authenticator, engine, compress, connections::remove);
            connections.add(connection);
            connection.start(authorization, upgradeProtocol);
        });
    }

    /** Answers a request that did not become a WebSocket with the API's JSON error body (the SQL shape). */
    private static void refuse(RoutingContext ctx, KalamErrorCode code, String message) {
        ctx.response().setStatusCode(ErrorMapper.httpStatus(code))
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(SqlResponseWriter.error(code, message, 0));
    }

    /** Connections of this instance that are open (for tests and metrics). */
    int connectionCount() {
        return connections.size();
    }

    /**
     * Refuses new upgrades and closes every connection with 1001 "Server shutting down"; completes when they are
     * closed, or after a short wait for clients that do not answer the close.
     */
    public Future<Void> shutdown() {
        shuttingDown = true;
        vertx.cancelTimer(heartbeatTimer);
        userChanges.unregister();
        List<Future<Void>> closing = new ArrayList<>();
        for (WsConnection connection : new ArrayList<>(connections)) {
            closing.add(connection.close(WsConnection.CLOSE_GOING_AWAY, "Server shutting down"));
        }
        if (closing.isEmpty()) {
            return Future.succeededFuture();
        }
        Promise<Void> done = Promise.promise();
        long timer = vertx.setTimer(SHUTDOWN_WAIT_MS, id -> done.tryComplete());
        Future.join(closing).onComplete(ar -> {
            vertx.cancelTimer(timer);
            done.tryComplete();
        });
        return done.future();
    }

    private void closeIdle() {
        long now = System.nanoTime();
        long limit = TimeUnit.MILLISECONDS.toNanos(settings.clientTimeoutMs());
        for (WsConnection connection : new ArrayList<>(connections)) {
            if (!connection.isClosing() && connection.idleNanos(now) > limit) {
                LOG.debug("closing idle WebSocket [connection={}]", connection.connectionId());
                connection.close(WsConnection.CLOSE_NORMAL, "Heartbeat timeout");
            }
        }
    }

    /** A connection id: a random UUID in its simple (32 hex digits) form. */
    static String newConnectionId() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
