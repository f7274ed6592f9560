package io.kalamdb.server.http;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.api.KalamService;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.server.auth.BearerAuthenticator;
import io.kalamdb.server.auth.JwtService;
import io.kalamdb.server.auth.TokenType;
import io.kalamdb.server.bus.EngineCalls;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;


/**
 * {@code POST /v1/api/auth/refresh} (reference 2.5): a refresh token from the {@code kalamdb_refresh} cookie or a
 * Bearer header → a new token pair, once the user still exists with the role the token claims.
 */
final class RefreshHandler implements Handler<RoutingContext> {
    private final KalamService engine;
    private final JwtService jwt;

    RefreshHandler(KalamService engine, JwtService jwt) {
        this.engine = requireNonNull(engine, "engine is null");
        this.jwt = requireNonNull(jwt, "jwt is null");
    }

    @Override
    public void handle(RoutingContext ctx) {
        String token = AuthCookies.read(ctx.request(), AuthCookies.REFRESH);
        if (token == null) {
            token = BearerAuthenticator.bearerToken(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
        }
        if (token == null) {
            Responses.authError(ctx, new KalamException(KalamErrorCode.MISSING_AUTHORIZATION,
                    "Missing refresh token"));
            return;
        }
        jwt.verify(token)
                .compose(claims -> claims.type() == TokenType.REFRESH
                        ? EngineCalls.future(engine.verify(claims.principal()))
                        : Future.failedFuture(new KalamException(KalamErrorCode.INVALID_CREDENTIALS,
                                "Refresh endpoint requires a refresh token")))
                .onSuccess(user -> TokenAnswer.send(ctx, user, jwt.issue(user)))
                .onFailure(failure -> Responses.authError(ctx, failure));
    }
}
