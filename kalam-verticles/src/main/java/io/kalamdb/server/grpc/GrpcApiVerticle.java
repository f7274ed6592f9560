package io.kalamdb.server.grpc;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kalamdb.engine.StatementControl;
import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.api.KalamService;
import io.kalamdb.engine.api.LoginRequest;
import io.kalamdb.engine.api.Principal;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.proto.v1.AckRequest;
import io.kalamdb.proto.v1.AckResponse;
import io.kalamdb.proto.v1.ColumnSchema;
import io.kalamdb.proto.v1.ConsumeRequest;
import io.kalamdb.proto.v1.ConsumeResponse;
import io.kalamdb.proto.v1.KalamServiceGrpcService;
import io.kalamdb.proto.v1.LoginResponse;
import io.kalamdb.proto.v1.QueryResult;
import io.kalamdb.proto.v1.SqlRequest;
import io.kalamdb.proto.v1.SqlResponse;
import io.kalamdb.proto.v1.UserInfo;
import io.kalamdb.server.ServerConfig;
import io.kalamdb.server.auth.BearerAuthenticator;
import io.kalamdb.server.auth.JwtService;
import io.kalamdb.server.bus.EngineCalls;
import io.kalamdb.server.bus.EventBusKalamService;
import io.kalamdb.server.http.AuthJson;
import io.kalamdb.server.http.HttpApiVerticle;
import io.kalamdb.server.http.LoginHandler;
import io.kalamdb.server.http.SqlResponseWriter;
import io.kalamdb.server.http.TopicsHandler;
import io.kalamdb.server.http.UserLimits;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.reflection.ReflectionService;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.Service;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Serves the gRPC API ({@code kalamdb.v1.KalamService}, PROTOCOL.md deviation 5) on its own port, with server
 * reflection. Calls go to the engine over the same event-bus service as HTTP, authenticated by the same bearer
 * tokens, admitted under the same per-user limits, and fail with the same codes and messages.
 *
 * <p>Deployed as several instances sharing one port, like the HTTP verticle. A call's deadline (the
 * {@code grpc-timeout} header) and its cancellation by the client both cancel the running statement.
 */
public final class GrpcApiVerticle extends VerticleBase {
    /**
     * Port 0 for Vert.x servers shared by several instances: a negative value names one random port shared by the
     * servers asking for the same value. -2, because the HTTP verticle asks for -1 and must get another port.
     */
    static final int SHARED_RANDOM_PORT = -2;
    private static final long SHUTDOWN_GRACE_SECONDS = 5;

    private final ServerConfig config;
    private final IntConsumer onListening;
    private KalamService engine;
    private JwtService jwt;
    private BearerAuthenticator authenticator;
    private UserLimits limits;
    private TopicsHandler topics;
    private HttpServer server;

    /**
     * @param onListening receives the port actually bound (the same for every instance)
     */
    public GrpcApiVerticle(ServerConfig config, IntConsumer onListening) {
        this.config = requireNonNull(config, "config is null");
        this.onListening = requireNonNull(onListening, "onListening is null");
    }

    @Override
    public Future<?> start() {
        engine = new EventBusKalamService(vertx.eventBus());
        jwt = new JwtService(vertx, config.jwtSecret(), config.jwtExpiryHours(), config.jwtLeewaySecs(),
                Clock.systemUTC());
        authenticator = new BearerAuthenticator(jwt);
        limits = HttpApiVerticle.userLimits(vertx, config);
        topics = new TopicsHandler(vertx, engine, authenticator);

        GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions().setScheduleDeadlineAutomatically(true)
                .setMaxMessageSize(config.maxRequestBodySize()));
        grpc.addService(kalamService());
        grpc.addService(ReflectionService.v1());
        ReflectionV1Alpha.bind(grpc);
        int port = config.grpcPort() == 0 ? SHARED_RANDOM_PORT : config.grpcPort();
        return vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(port))
                .requestHandler(grpc)
                .listen()
                .onSuccess(listening -> {
                    server = listening;
                    onListening.accept(listening.actualPort());
                });
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.shutdown(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
    }

    private Service kalamService() {
        return new Service() {
            @Override
            public io.vertx.grpc.common.ServiceName name() {
                return KalamServiceGrpcService.SERVICE_NAME;
            }

            @Override
            public com.google.protobuf.Descriptors.ServiceDescriptor descriptor() {
                return KalamServiceGrpcService.SERVICE_DESCRIPTOR;
            }

            @Override
            public void bind(GrpcServer server) {
                server.callHandler(KalamServiceGrpcService.Login, GrpcApiVerticle.this::login);
                server.callHandler(KalamServiceGrpcService.ExecuteSql, GrpcApiVerticle.this::executeSql);
                server.callHandler(KalamServiceGrpcService.Subscribe, call -> unimplemented(call, "Subscribe"));
                server.callHandler(KalamServiceGrpcService.Consume, GrpcApiVerticle.this::consume);
                server.callHandler(KalamServiceGrpcService.Ack, GrpcApiVerticle.this::ack);
            }
        };
    }

    private void login(GrpcServerRequest<io.kalamdb.proto.v1.LoginRequest, LoginResponse> call) {
        call.last().compose(request -> {
            ObjectNode body = JsonNodeFactory.instance.objectNode()
                    .put("user", request.getUser()).put("password", request.getPassword());
            LoginRequest login = LoginHandler.parse(body);
            return EngineCalls.future(engine.login(login)).recover(GrpcApiVerticle::hideWhy);
        }).onSuccess(user -> {
            JsonObject tokens = AuthJson.tokens(user, jwt.issue(user));
            JsonObject info = tokens.getJsonObject("user");
            UserInfo.Builder userInfo = UserInfo.newBuilder().setId(info.getString("id"))
                    .setRole(info.getString("role")).setCreatedAt(info.getString("created_at"))
                    .setUpdatedAt(info.getString("updated_at"));
            if (info.getString("email") != null) {
                userInfo.setEmail(info.getString("email"));
            }
            send(call.response(), LoginResponse.newBuilder()
                    .setAccessToken(tokens.getString("access_token"))
                    .setRefreshToken(tokens.getString("refresh_token"))
                    .setExpiresAt(tokens.getString("expires_at"))
                    .setRefreshExpiresAt(tokens.getString("refresh_expires_at"))
                    .setUser(userInfo)
                    .setAdminUiAccess(tokens.getBoolean("admin_ui_access"))
                    .build());
        }).onFailure(failure -> GrpcErrors.failLogin(call.response(), failure));
    }

    /** Wrong password, unknown user, dropped user: all answer the same "Invalid credentials", as over HTTP. */
    private static <T> Future<T> hideWhy(Throwable failure) {
        KalamException error = EngineCalls.unwrap(failure);
        if (error.code() == KalamErrorCode.INVALID_CREDENTIALS) {
            return Future.failedFuture(new KalamException(KalamErrorCode.INVALID_CREDENTIALS, "Invalid credentials"));
        }
        return Future.failedFuture(error);
    }

    private void executeSql(GrpcServerRequest<SqlRequest, SqlResponse> call) {
        long start = System.nanoTime();
        StatementControl control = new StatementControl();
        // a cancelled call (the client went away) or one past its deadline (Vert.x answers DEADLINE_EXCEEDED) stops
        // the statement
        long timer = call.timeout() > 0 ? vertx.setTimer(call.timeout(), id -> control.cancel()) : -1;
        call.errorHandler(error -> control.cancel());
        call.exceptionHandler(error -> control.cancel());
        call.response().exceptionHandler(error -> control.cancel());
        authenticator.authenticate(call.headers().get(HttpHeaders.AUTHORIZATION))
                .compose(principal -> call.last().compose(request -> admitted(principal, request, control)))
                .onComplete(done -> {
                    if (timer >= 0) {
                        vertx.cancelTimer(timer);
                    }
                })
                .map(results -> response(results, start))
                .onSuccess(answer -> send(call.response(), answer))
                .onFailure(failure -> GrpcErrors.fail(call.response(), failure));
    }

    private Future<List<StatementResult>> admitted(Principal principal, SqlRequest request,
                                                   StatementControl control) {
        UserLimits.Refusal refusal = limits.admit(principal.userId());
        if (refusal != null) {
            return Future.failedFuture(new KalamException(KalamErrorCode.RATE_LIMIT_EXCEEDED, refusal.message()));
        }
        Future<List<StatementResult>> results;
        try {
            String namespace = request.getNamespaceId().isBlank() ? "default" : request.getNamespaceId();
            results = EngineCalls.future(engine.execute(new io.kalamdb.engine.api.SqlRequest(principal,
                    request.getSql(), ProtoValues.params(request.getParamsList()), namespace, control)));
        } catch (RuntimeException e) {
            limits.release(principal.userId());
            return Future.failedFuture(e);
        }
        return results.onComplete(done -> limits.release(principal.userId()));
    }

    /** The answer, converted from the HTTP body so that every value is encoded exactly as over HTTP. */
    private static SqlResponse response(List<StatementResult> results, long startNanos) {
        double took = SqlResponseWriter.tookMs(startNanos);
        JsonNode body = ProtoValues.parse(SqlResponseWriter.success(results, took).getBytes());
        SqlResponse.Builder answer = SqlResponse.newBuilder().setTook(took);
        for (JsonNode result : body.path("results")) {
            QueryResult.Builder out = QueryResult.newBuilder()
                    .setRowCount(result.path("row_count").asLong())
                    .setAsUser(result.path("as_user").asText(""))
                    .setMessage(result.path("message").asText(""))
                    .setTruncated(result.path("truncated").asBoolean(false));
            for (JsonNode column : result.path("schema")) {
                ColumnSchema.Builder schema = ColumnSchema.newBuilder().setName(column.path("name").asText())
                        .setDataType(column.path("data_type").isTextual() ? column.path("data_type").asText()
                                : column.path("data_type").toString())
                        .setIndex(column.path("index").asInt());
                column.path("flags").forEach(flag -> schema.addFlags(flag.asText()));
                out.addSchema(schema);
            }
            for (JsonNode row : result.path("rows")) {
                out.addRows(ProtoValues.toList(row));
            }
            answer.addResults(out);
        }
        return answer.build();
    }

    /** Consume, as {@code POST /v1/api/topics/consume} (the same parsing, long poll and message fields). */
    private void consume(GrpcServerRequest<ConsumeRequest, ConsumeResponse> call) {
        authenticator.authenticate(call.headers().get(HttpHeaders.AUTHORIZATION))
                .compose(principal -> call.last().compose(request -> topics.consume(principal, consumeBody(request))))
                .map(GrpcApiVerticle::consumeResponse)
                .onSuccess(answer -> send(call.response(), answer))
                .onFailure(failure -> GrpcErrors.fail(call.response(), failure));
    }

    /** Ack, as {@code POST /v1/api/topics/ack}. */
    private void ack(GrpcServerRequest<AckRequest, AckResponse> call) {
        authenticator.authenticate(call.headers().get(HttpHeaders.AUTHORIZATION))
                .compose(principal -> call.last().compose(request -> {
                    JsonObject body = new JsonObject().put("topic_id", request.getTopic())
                            .put("partition_id", request.getPartitionId()).put("upto_offset", request.getUptoOffset());
                    if (!request.getGroupId().isEmpty()) {
                        body.put("group_id", request.getGroupId());
                    }
                    if (!request.getConsumerId().isEmpty()) {
                        body.put("consumer_id", request.getConsumerId());
                    }
                    return topics.ack(principal, body);
                }))
                .map(answer -> AckResponse.newBuilder().setSuccess(answer.getBoolean("success"))
                        .setAcknowledgedOffset(answer.getLong("acknowledged_offset")).build())
                .onSuccess(answer -> send(call.response(), answer))
                .onFailure(failure -> GrpcErrors.fail(call.response(), failure));
    }

    /** The HTTP body a Consume request stands for (unset fields are left out, so HTTP's defaults apply). */
    private static JsonObject consumeBody(ConsumeRequest request) {
        JsonObject body = new JsonObject().put("topic_id", request.getTopic());
        if (!request.getGroupId().isEmpty()) {
            body.put("group_id", request.getGroupId());
        }
        if (request.hasStartOffset()) {
            body.put("start", new JsonObject().put("Offset", request.getStartOffset()));
        } else if (!request.getStart().isEmpty()) {
            body.put("start", request.getStart());
        }
        if (request.getLimit() != 0) {
            body.put("limit", request.getLimit());
        }
        if (request.hasPartitionId()) {
            body.put("partition_id", request.getPartitionId());
        }
        if (request.getTimeoutSeconds() != 0) {
            body.put("timeout_seconds", request.getTimeoutSeconds());
        }
        if (!request.getConsumerId().isEmpty()) {
            body.put("consumer_id", request.getConsumerId());
        }
        return body;
    }

    private static ConsumeResponse consumeResponse(JsonObject answer) {
        JsonNode body = ProtoValues.parse(answer.toBuffer().getBytes());
        ConsumeResponse.Builder response = ConsumeResponse.newBuilder()
                .setNextOffset(body.path("next_offset").asLong())
                .setHasMore(body.path("has_more").asBoolean());
        body.path("messages").forEach(message -> response.addMessages(ProtoValues.toStruct(message)));
        return response.build();
    }

    private static <T> void send(GrpcServerResponse<?, T> response, T message) {
        try {
            response.end(message);
        } catch (IllegalStateException alreadyEnded) {
            // the client cancelled, or the deadline ended the call first
        }
    }

    private static void unimplemented(GrpcServerRequest<?, ?> call, String method) {
        GrpcErrors.end(call.response(), KalamErrorCode.UNSUPPORTED, "KalamService." + method
                + " is not implemented yet in this version; use the HTTP or WebSocket API (docs/protocol.md)");
    }
}
