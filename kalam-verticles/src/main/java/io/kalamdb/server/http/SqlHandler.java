package io.kalamdb.server.http;

import static java.util.Objects.requireNonNull;

import io.kalamdb.server.auth.BearerAuthenticator;
import io.kalamdb.server.bus.EngineClient;
import io.kalamdb.server.bus.SqlRequest;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/api/sql} (reference 2.4): authenticates the Bearer token, parses the body, sends the batch to
 * the engine worker and writes the results, or the error body with the status from {@code ErrorMapper}.
 */
final class SqlHandler implements Handler<RoutingContext> {
    private final EngineClient engine;
    private final BearerAuthenticator authenticator;

    SqlHandler(EngineClient engine, BearerAuthenticator authenticator) {
        this.engine = requireNonNull(engine, "engine is null");
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
    }

    @Override
    public void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        authenticator.authenticate(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))
                .compose(principal -> {
                    SqlRequestParser.ParsedSql parsed = SqlRequestParser.parse(ctx.body().buffer());
                    return engine.execute(new SqlRequest(principal, parsed.sql(), parsed.params(),
                            parsed.namespace()));
                })
                .map(results -> SqlResponseWriter.success(results, SqlResponseWriter.tookMs(start)))
                .onSuccess(body -> Responses.json(ctx, 200, body))
                .onFailure(failure -> Responses.apiError(ctx, failure, start));
    }
}
