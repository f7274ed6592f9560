package io.kalamdb.server;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.KalamEngine;
import io.kalamdb.engine.api.KalamService;
import io.kalamdb.server.bus.BusCodecs;
import io.kalamdb.server.engine.EngineWorkers;
import io.kalamdb.server.engine.KalamServiceVerticle;
import io.kalamdb.server.grpc.GrpcApiVerticle;
import io.kalamdb.server.http.HttpApiVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.net.BindException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running server: the engine, a Vert.x instance, the engine service's binder verticles and the HTTP verticles.
 * {@link #start} is what {@code main} runs, and what integration tests run in-process on port 0.
 * Stopping closes Vert.x first (no new requests, verticles undeployed), then the engine.
 */
public final class KalamServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KalamServer.class);
    private static final String ENGINE_POOL = "kalam-engine";
    private static final long CLOSE_TIMEOUT_SECONDS = 60;
    /** Engine calls may legitimately run long (a flush, a big batch); warn about blocked workers only after this. */
    private static final long MAX_ENGINE_CALL_MINUTES = 5;

    private final Vertx vertx;
    private final KalamEngine engine;
    private final ServerConfig config;
    private final int actualPort;
    private final int grpcPort;
    private final String httpDeployment;
    private final AtomicBoolean closed = new AtomicBoolean();

    private KalamServer(Vertx vertx, KalamEngine engine, ServerConfig config, int actualPort, int grpcPort,
                        String httpDeployment) {
        this.vertx = requireNonNull(vertx, "vertx is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.config = requireNonNull(config, "config is null");
        this.actualPort = actualPort;
        this.grpcPort = grpcPort;
        this.httpDeployment = requireNonNull(httpDeployment, "httpDeployment is null");
    }

    /**
     * Starts a server on a thread of its own: checks the data directory and port, opens the engine, deploys the
     * verticles and listens. The future (bound to no Vert.x context, so it may be awaited from any plain thread)
     * completes once the server is ready, or fails with a {@link StartupException} naming the path, port or key
     * at fault; then nothing is left open.
     */
    public static Future<KalamServer> start(ServerConfig config) {
        requireNonNull(config, "config is null");
        Promise<KalamServer> ready = Promise.promise();
        Thread starter = new Thread(() -> {
            try {
                ready.complete(startHere(config));
            } catch (RuntimeException | Error e) {
                ready.fail(e);
            }
        }, "kalamdb-start");
        starter.start();
        return ready.future();
    }

    private static KalamServer startHere(ServerConfig config) {
        StartupChecks.dataDirectoryWritable(config.dataDir());
        StartupChecks.portFree(config.host(), config.port());
        KalamEngine engine;
        try {
            engine = KalamEngine.open(config.engineConfig());
        } catch (RuntimeException e) {
            // the only output of a refused start is this one line (printed by main), so nothing is logged before
            throw new StartupException("cannot open the database [path=" + config.dataDir().toAbsolutePath()
                    + "]: " + e.getMessage(), e);
        }
        LOG.info("configuration in effect: {}", config.describe());
        SqlWarmup.start(engine);
        Vertx vertx = Vertx.vertx();
        try {
            BusCodecs.register(vertx.eventBus());
            engine.onUserChanged(userId -> vertx.eventBus().publish(Addresses.USER_CHANGED, userId));
            AtomicInteger boundPort = new AtomicInteger();
            AtomicInteger boundGrpcPort = new AtomicInteger();
            String httpDeployment = await(deploy(vertx, engine, config, boundPort, boundGrpcPort));
            return new KalamServer(vertx, engine, config, boundPort.get(), boundGrpcPort.get(), httpDeployment);
        } catch (RuntimeException e) {
            closeQuietly(vertx);
            engine.close();
            throw asStartupFailure(e);
        }
    }

    /**
     * Deploys the engine service on its worker pool, then the gRPC verticles, then the HTTP verticles (last, so
     * that every surface answers once HTTP does); the future holds the HTTP deployment's id.
     */
    private static Future<String> deploy(Vertx vertx, KalamEngine engine, ServerConfig config,
                                         AtomicInteger boundPort, AtomicInteger boundGrpcPort) {
        // the engine's own threads: requests take any free one (Vert.x closes the pool with the instance)
        WorkerExecutor pool = vertx.createSharedWorkerExecutor(ENGINE_POOL, config.engineWorkers(),
                MAX_ENGINE_CALL_MINUTES, TimeUnit.MINUTES);
        KalamService service = io.kalamdb.engine.KalamServices.local(engine, EngineWorkers.executor(pool),
                role -> config.statementTimeoutMs(role));
        int eventLoops = Math.max(1, Runtime.getRuntime().availableProcessors());
        DeploymentOptions httpOptions = new DeploymentOptions().setInstances(eventLoops);
        return vertx.deployVerticle(() -> new KalamServiceVerticle(service),
                        new DeploymentOptions().setInstances(eventLoops))
                .compose(id -> vertx.deployVerticle(() -> new GrpcApiVerticle(config, boundGrpcPort::set),
                                new DeploymentOptions().setInstances(eventLoops))
                        .recover(e -> Future.failedFuture(grpcListenFailure(e, config))))
                .compose(id -> vertx.deployVerticle(() -> new HttpApiVerticle(config, boundPort::set,
                                () -> engine.storageFailure().map(Throwable::getMessage).orElse(null),
                                () -> engine.diskFull().map(Throwable::getMessage).orElse(null)), httpOptions)
                        .recover(e -> Future.failedFuture(listenFailure(e, config))));
    }

    /** The server's Vert.x instance (in-process tests). */
    Vertx vertx() {
        return vertx;
    }

    /** The server's engine (in-process tests that write without going through an event loop). */
    KalamEngine engine() {
        return engine;
    }

    /** Whether root still has no password, so that nobody can log in before first-run setup. */
    public boolean needsSetup() {
        return engine.needsSetup();
    }

    public int actualPort() {
        return actualPort;
    }

    public String host() {
        return config.host();
    }

    /** The gRPC API's bound port. */
    public int grpcPort() {
        return grpcPort;
    }

    /** {@code HOST:PORT} of the gRPC API with the bound port (IPv6 hosts in brackets), as its ready line says. */
    public String grpcAddress() {
        String host = config.host();
        boolean ipv6 = host.indexOf(':') >= 0 && !host.startsWith("[");
        return (ipv6 ? "[" + host + "]" : host) + ":" + grpcPort;
    }

    public ServerConfig config() {
        return config;
    }

    /** {@code http://HOST:PORT} with the bound port (IPv6 hosts in brackets). */
    public String baseUrl() {
        String host = config.host();
        boolean ipv6 = host.indexOf(':') >= 0 && !host.startsWith("[");
        return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + actualPort;
    }

    /**
     * Stops accepting work, closes Vert.x (verticles undeploy), then closes the engine. Blocking: call it from a
     * plain thread (a shutdown hook, a test), never from an event loop.
     *
     * <p>The HTTP verticles go first, while the engine still answers: WebSockets are closed with 1001, requests in
     * flight get their response (with {@code Connection: close}) and the port closes. Only then does the rest of
     * Vert.x stop, so a request that was accepted is answered rather than cut off.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("shutting down");
        try {
            vertx.undeploy(httpDeployment).toCompletionStage().toCompletableFuture()
                    .get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("the HTTP API did not stop cleanly", e);
        }
        closeQuietly(vertx);
        engine.close();
        LOG.info("stopped");
    }

    /** Closes Vert.x from a plain thread (its future then completes here, not on a closed event loop). */
    private static void closeQuietly(Vertx vertx) {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Vert.x did not close cleanly", e);
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while starting", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    private static Throwable listenFailure(Throwable failure, ServerConfig config) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
                return StartupChecks.portInUse(config.host(), config.port());
            }
        }
        return new StartupException("cannot start the HTTP server [host=" + config.host() + ", port="
                + config.port() + "]: " + failure, failure);
    }

    private static Throwable grpcListenFailure(Throwable failure, ServerConfig config) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
                return new StartupException("port already in use [key=" + ServerConfig.GRPC_PORT.key() + ", host="
                        + config.host() + ", port=" + config.grpcPort() + "]: another process listens there; stop "
                        + "it or set " + ServerConfig.GRPC_PORT.key() + " (env KALAMDB_GRPC_PORT) to a free port or 0",
                        failure);
            }
        }
        return new StartupException("cannot start the gRPC server [host=" + config.host() + ", port="
                + config.grpcPort() + "]: " + failure, failure);
    }

    private static StartupException asStartupFailure(Throwable failure) {
        if (failure instanceof StartupException startup) {
            return startup;
        }
        LOG.error("start-up failed", failure);
        return new StartupException("KalamDB failed to start: " + failure, failure);
    }
}
