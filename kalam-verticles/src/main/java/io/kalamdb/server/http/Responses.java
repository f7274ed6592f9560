package io.kalamdb.server.http;

import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.server.bus.EngineCalls;
import io.kalamdb.server.error.ClientMessages;
import io.kalamdb.server.error.ErrorMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Sends JSON answers: a body with a status, the protected routes' error body (reference 2.3/2.4) and the auth
 * endpoints' {@code {"error":kind,"message":…}} body (reference 2.5), each with the status from {@link ErrorMapper}.
 */
final class Responses {
    private static final String JSON = "application/json";

    private Responses() {
    }

    static void json(RoutingContext ctx, int status, Buffer body) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body);
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        json(ctx, status, body.toBuffer());
    }

    /** The error body of a protected route for any failure (unknown failures become INTERNAL_ERROR). */
    static void apiError(RoutingContext ctx, Throwable failure, long startNanos) {
        KalamException error = EngineCalls.unwrap(failure);
        json(ctx, ErrorMapper.httpStatus(error.code()),
                SqlResponseWriter.error(error.code(), ClientMessages.of(error), SqlResponseWriter.tookMs(startNanos)));
    }

    /**
     * The error body of a topic endpoint: authentication failures as on every protected route, the rest as
     * {@code {"error":message,"code":…}} (reference 2.6).
     */
    static void topicError(RoutingContext ctx, Throwable failure, long startNanos) {
        KalamException error = EngineCalls.unwrap(failure);
        switch (error.code()) {
            case MISSING_AUTHORIZATION, INVALID_CREDENTIALS, TOKEN_EXPIRED, ACCOUNT_LOCKED, SETUP_REQUIRED ->
                    apiError(ctx, failure, startNanos);
            default -> json(ctx, ErrorMapper.httpStatus(error.code()), new JsonObject()
                    .put("error", ClientMessages.of(error)).put("code", ErrorMapper.topicErrorCode(error.code())));
        }
    }

    /** The error body of an auth endpoint for any failure. */
    static void authError(RoutingContext ctx, Throwable failure) {
        KalamException error = EngineCalls.unwrap(failure);
        KalamErrorCode code = error.code();
        json(ctx, ErrorMapper.authStatus(code), new JsonObject()
                .put("error", ErrorMapper.authErrorKind(code))
                .put("message", authMessage(error)));
    }

    private static String authMessage(KalamException error) {
        return switch (error.code()) {
            case INVALID_CREDENTIALS, MISSING_AUTHORIZATION, TOKEN_EXPIRED ->
                    error.getMessage().isBlank() ? "Invalid credentials" : error.getMessage();
            case SETUP_REQUIRED -> "Server requires initial setup. Root password is not configured.";
            case INTERNAL_ERROR, AUTHENTICATION_ERROR -> "Internal server error";
            default -> ClientMessages.of(error);
        };
    }
}
