package io.kalamdb.server.http;

import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.server.auth.TokenPair;
import io.vertx.ext.web.RoutingContext;

/**
 * Sends the answer of a successful login or refresh: the token JSON of reference 2.5 plus both auth cookies.
 */
final class TokenAnswer {

    private TokenAnswer() {
    }

    static void send(RoutingContext ctx, UserRecord user, TokenPair tokens) {
        AuthCookies.set(ctx.response(), tokens);
        Responses.json(ctx, 200, AuthJson.tokens(user, tokens));
    }
}
