package io.kalamdb.server.http;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.StatementControl;
import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.api.KalamService;
import io.kalamdb.engine.api.Principal;
import io.kalamdb.engine.api.SqlRequest;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.server.auth.BearerAuthenticator;
import io.kalamdb.server.bus.EngineCalls;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * {@code POST /v1/api/sql} (reference 2.4): authenticates the Bearer token, admits the request under the user's
 * limits ({@link UserLimits}: 429 with {@code Retry-After}), parses the body, sends the batch to the engine worker
 * and writes the results, or the error body with the status from {@code ErrorMapper}. When the client's
 * connection closes before the answer, the statement is cancelled in the engine.
 */
final class SqlHandler implements Handler<RoutingContext> {
    private final KalamService engine;
    private final BearerAuthenticator authenticator;
    private final UserLimits limits;

    SqlHandler(KalamService engine, BearerAuthenticator authenticator, UserLimits limits) {
        this.engine = requireNonNull(engine, "engine is null");
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.limits = requireNonNull(limits, "limits is null");
    }

    @Override
    public void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        authenticator.authenticate(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))
                .compose(principal -> admitted(ctx, principal))
                .map(results -> SqlResponseWriter.success(results, SqlResponseWriter.tookMs(start)))
                .onSuccess(body -> Responses.json(ctx, 200, body))
                .onFailure(failure -> Responses.apiError(ctx, failure, start));
    }

    private Future<List<StatementResult>> admitted(RoutingContext ctx, Principal principal) {
        UserLimits.Refusal refusal = limits.admit(principal.userId());
        if (refusal != null) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(refusal.retryAfterSeconds()));
            return Future.failedFuture(new KalamException(KalamErrorCode.RATE_LIMIT_EXCEEDED, refusal.message()));
        }
        Future<List<StatementResult>> results;
        try {
            SqlRequestParser.ParsedSql parsed = SqlRequestParser.parse(ctx.body().buffer());
            StatementControl control = new StatementControl();
            ctx.response().closeHandler(closed -> control.cancel());
            results = EngineCalls.future(engine.execute(new SqlRequest(principal, parsed.sql(), parsed.params(),
                    parsed.namespace(), control)));
        } catch (RuntimeException e) {
            limits.release(principal.userId());
            return Future.failedFuture(e);
        }
        return results.onComplete(done -> limits.release(principal.userId()));
    }
}
