package io.kalamdb.server.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kalamdb.engine.api.KalamService;
import io.kalamdb.engine.api.LoginRequest;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.server.auth.JwtService;
import io.kalamdb.server.bus.EngineCalls;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * {@code POST /v1/api/auth/login} (reference 2.5): {@code {"user"|"username", "password"}} → tokens and cookies.
 * The password check (bcrypt) runs on the engine worker.
 */
public final class LoginHandler implements Handler<RoutingContext> {
    static final int MAX_USER_LENGTH = 128;
    static final int MAX_PASSWORD_LENGTH = 256;
    private static final Set<String> FIELDS = Set.of("user", "username", "password");

    private final KalamService engine;
    private final JwtService jwt;

    LoginHandler(KalamService engine, JwtService jwt) {
        this.engine = requireNonNull(engine, "engine is null");
        this.jwt = requireNonNull(jwt, "jwt is null");
    }

    @Override
    public void handle(RoutingContext ctx) {
        LoginRequest request;
        try {
            request = parse(JsonBodies.strictObject(ctx.body().buffer(), FIELDS));
        } catch (KalamException e) {
            Responses.authError(ctx, e);
            return;
        }
        EngineCalls.future(engine.login(request))
                .recover(LoginHandler::hideWhy)
                .onSuccess(user -> TokenAnswer.send(ctx, user, jwt.issue(user)))
                .onFailure(failure -> Responses.authError(ctx, failure));
    }

    public static LoginRequest parse(ObjectNode body) {
        String user = JsonBodies.optionalString(body, "user");
        String username = JsonBodies.optionalString(body, "username");
        if (user != null && username != null) {
            throw JsonBodies.invalid("duplicate field `user`");
        }
        String id = user != null ? user : username;
        if (id == null) {
            throw JsonBodies.invalid("missing field `user`");
        }
        String password = JsonBodies.requiredString(body, "password");
        if (id.length() > MAX_USER_LENGTH) {
            throw JsonBodies.invalid("user is longer than " + MAX_USER_LENGTH + " characters");
        }
        String problem = io.kalamdb.engine.util.Identifiers.problem(id);
        if (problem != null) {
            throw KalamException.invalidInput("invalid user name '" + io.kalamdb.engine.util.Identifiers.printable(id)
                    + "': " + problem);
        }
        if (password.length() > MAX_PASSWORD_LENGTH) {
            throw JsonBodies.invalid("password is longer than " + MAX_PASSWORD_LENGTH + " characters");
        }
        return new LoginRequest(id, password);
    }

    /** Wrong password, unknown user, dropped user: all answer the same "Invalid credentials". */
    private static <T> Future<T> hideWhy(Throwable failure) {
        KalamException error = EngineCalls.unwrap(failure);
        if (error.code() == KalamErrorCode.INVALID_CREDENTIALS) {
            return Future.failedFuture(new KalamException(KalamErrorCode.INVALID_CREDENTIALS, "Invalid credentials"));
        }
        return Future.failedFuture(error);
    }
}
