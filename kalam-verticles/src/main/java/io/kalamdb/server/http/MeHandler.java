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
 * {@code GET /v1/api/auth/me} (reference 2.5): the caller's user info, from a Bearer access token or the
 * {@code kalamdb_auth} cookie.
 */
final class MeHandler implements Handler<RoutingContext> {
    private final KalamService engine;
    private final JwtService jwt;

    MeHandler(KalamService engine, JwtService jwt) {
        this.engine = requireNonNull(engine, "engine is null");
        this.jwt = requireNonNull(jwt, "jwt is null");
    }

    @Override
    public void handle(RoutingContext ctx) {
        String token = BearerAuthenticator.bearerToken(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (token == null) {
            token = AuthCookies.read(ctx.request(), AuthCookies.ACCESS);
        }
        if (token == null) {
            Responses.authError(ctx, new KalamException(KalamErrorCode.MISSING_AUTHORIZATION,
                    "Authentication required"));
            return;
        }
        jwt.verify(token)
                .compose(claims -> claims.type() == TokenType.ACCESS
                        ? EngineCalls.future(engine.verify(claims.principal()))
                        : Future.failedFuture(new KalamException(KalamErrorCode.INVALID_CREDENTIALS,
                                "Invalid credentials")))
                .onSuccess(user -> Responses.json(ctx, 200, AuthJson.me(user)))
                .onFailure(failure -> Responses.authError(ctx, failure));
    }
}
