package io.kalamdb.server.http;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.api.KalamService;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.server.ServerConfig;
import io.kalamdb.server.auth.BearerAuthenticator;
import io.kalamdb.server.auth.JwtService;
import io.kalamdb.server.bus.EngineFailure;
import io.kalamdb.server.bus.EventBusKalamService;
import io.kalamdb.server.ws.LiveQueryWebSocketHandler;
import io.kalamdb.server.ws.WsSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: binds each route to its handler and listens. Deployed as several instances sharing one port
 * (Vert.x spreads connections over their event loops).
 */
public final class HttpApiVerticle extends VerticleBase {
    /**
     * Vert.x shares a server between instances only for the same port; a negative port means "one random port
     * shared by every server asking for this same negative value", which is what port 0 means to us.
     */
    static final int SHARED_RANDOM_PORT = -1;
    /**
     * On stop, how long requests in flight may take to finish (each connection closes after its current
     * response); Vert.x's own close would cut them at once.
     */
    static final long SHUTDOWN_GRACE_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(HttpApiVerticle.class);
    private static final String LIMITS_MAP = "kalam.http.user-limits";

    private final ServerConfig config;
    private final IntConsumer onListening;
    private final java.util.function.Supplier<String> unhealthyReason;
    private final java.util.function.Supplier<String> degradedReason;
    private LiveQueryWebSocketHandler liveQueries;
    private HttpServer server;

    /**
     * @param onListening receives the port actually bound (the same for every instance)
     */
    public HttpApiVerticle(ServerConfig config, IntConsumer onListening) {
        this(config, onListening, () -> null);
    }

    /**
     * @param onListening receives the port actually bound (the same for every instance)
     * @param unhealthyReason why the node cannot serve (its storage stopped), or null while it can: {@code /health}
     */
    public HttpApiVerticle(ServerConfig config, IntConsumer onListening,
                           java.util.function.Supplier<String> unhealthyReason) {
        this(config, onListening, unhealthyReason, () -> null);
    }

    /**
     * @param degradedReason why the node refuses writes for now (its disk is full), or null: {@code /health}
     */
    public HttpApiVerticle(ServerConfig config, IntConsumer onListening,
                           java.util.function.Supplier<String> unhealthyReason,
                           java.util.function.Supplier<String> degradedReason) {
        this.config = requireNonNull(config, "config is null");
        this.onListening = requireNonNull(onListening, "onListening is null");
        this.unhealthyReason = requireNonNull(unhealthyReason, "unhealthyReason is null");
        this.degradedReason = requireNonNull(degradedReason, "degradedReason is null");
    }

    @Override
    public Future<?> start() {
        KalamService engine = new EventBusKalamService(vertx.eventBus());
        JwtService jwt = new JwtService(vertx, config.jwtSecret(), config.jwtExpiryHours(), config.jwtLeewaySecs(),
                Clock.systemUTC());
        BodyHandler body = BodyHandler.create(false).setBodyLimit(config.maxRequestBodySize());
        HealthHandler health = new HealthHandler(BuildInfo.load(), unhealthyReason, degradedReason);

        Router router = Router.router(vertx);
        router.get("/health").handler(health);
        router.get("/v1/api/healthcheck").handler(health);
        WsSettings ws = WsSettings.of(config);
        liveQueries = new LiveQueryWebSocketHandler(vertx, ws, jwt, engine);
        router.get("/v1/ws").handler(liveQueries);
        router.post("/v1/api/sql").handler(body).handler(new SqlHandler(engine, new BearerAuthenticator(jwt),
                userLimits()));
        TopicsHandler topics = new TopicsHandler(vertx, engine, new BearerAuthenticator(jwt));
        router.post("/v1/api/topics/consume").handler(body).handler(topics::consume);
        router.post("/v1/api/topics/ack").handler(body).handler(topics::ack);
        router.post("/v1/api/auth/login").handler(body).handler(new LoginHandler(engine, jwt));
        router.post("/v1/api/auth/refresh").handler(body).handler(new RefreshHandler(engine, jwt));
        router.post("/v1/api/auth/logout").handler(body).handler(new LogoutHandler());
        router.get("/v1/api/auth/me").handler(new MeHandler(engine, jwt));
        router.get("/v1/api/auth/status").handler(new SetupStatusHandler(engine));
        router.post("/v1/api/auth/setup").handler(body).handler(new SetupHandler(engine));
        router.errorHandler(413, new BodyTooLargeHandler(config.maxRequestBodySize()));
        // every answer of the API is JSON: an unknown path or a wrong method gets the SQL error shape, not HTML
        router.errorHandler(404, ctx -> Responses.apiError(ctx, new KalamException(KalamErrorCode.NOT_FOUND,
                "no such endpoint [method=" + ctx.request().method() + ", path=" + ctx.normalizedPath()
                        + "]; the API is under /v1/api (docs/protocol.md)"), System.nanoTime()));
        router.errorHandler(405, ctx -> Responses.apiError(ctx, new KalamException(
                KalamErrorCode.METHOD_NOT_ALLOWED, "method not allowed [method=" + ctx.request().method()
                        + ", path=" + ctx.normalizedPath() + "]; " + allowedMethods(ctx.normalizedPath())),
                System.nanoTime()));
        router.errorHandler(500, ctx -> {
            Throwable failure = ctx.failure();
            if (!(failure instanceof EngineFailure)) {
                LOG.error("unexpected failure [path={}]", ctx.normalizedPath(), failure);
            }
            Responses.apiError(ctx, failure == null ? new IllegalStateException("request failed") : failure,
                    System.nanoTime());
        });

        int port = config.port() == 0 ? SHARED_RANDOM_PORT : config.port();
        // No WebSocket compression extension: frames are gzipped by the protocol itself when the client asks
        // (WsProtocol), a deflate context per connection would cost memory at every idle subscriber, and with no
        // extension offered Netty's decoder fails any frame with RSV bits with 1002, as RFC 6455 5.2 requires.
        return vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(port)
                        .setMaxWebSocketFrameSize(ws.transportFrameLimit())
                        .setMaxWebSocketMessageSize(ws.transportFrameLimit())
                        .setPerMessageWebSocketCompressionSupported(false)
                        .setPerFrameWebSocketCompressionSupported(false))
                .requestHandler(router)
                .listen()
                .onSuccess(listening -> {
                    server = listening;
                    onListening.accept(listening.actualPort());
                });
    }

    /** What to say about the methods a path serves (only paths with one method can be called wrongly). */
    private static String allowedMethods(String path) {
        return switch (path) {
            case "/health", "/v1/api/healthcheck", "/v1/api/auth/me", "/v1/api/auth/status", "/v1/ws" ->
                    "this path answers GET";
            default -> "this path answers POST";
        };
    }

    /** The per-user limits, one object shared by every instance of this verticle in this Vert.x. */
    private UserLimits userLimits() {
        return userLimits(vertx, config);
    }

    /** The per-user limits of SQL requests, one object shared by the HTTP and gRPC verticles of a Vert.x. */
    public static UserLimits userLimits(io.vertx.core.Vertx vertx, ServerConfig config) {
        io.vertx.core.shareddata.LocalMap<String, UserLimits> shared = vertx.sharedData().getLocalMap(LIMITS_MAP);
        UserLimits mine = new UserLimits(config.maxQueriesPerSec(), config.maxStatementsInFlightPerUser());
        UserLimits existing = shared.putIfAbsent(LIMITS_MAP, mine);
        return existing == null ? mine : existing;
    }

    /**
     * Closes this instance's WebSockets (1001), then shuts its server down gracefully: the port stops accepting
     * (once every instance stopped), idle connections close, requests in flight finish within the grace period.
     */
    @Override
    public Future<?> stop() {
        Future<Void> sockets = liveQueries == null ? Future.succeededFuture() : liveQueries.shutdown();
        return sockets.transform(ignored -> server == null ? Future.succeededFuture()
                : server.shutdown(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS));
    }
}
