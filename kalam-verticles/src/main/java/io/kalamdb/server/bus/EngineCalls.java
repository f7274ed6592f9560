package io.kalamdb.server.bus;

import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * How a handler on an event loop waits for a {@code KalamService} call: as a Vert.x future completed on the
 * handler's own context, failed with the {@link KalamException} behind whatever failed.
 */
public final class EngineCalls {

    private EngineCalls() {
    }

    /** {@code stage} as a future whose callbacks run on the calling context (or where it completes, off Vert.x). */
    public static <T> Future<T> future(CompletionStage<T> stage) {
        io.vertx.core.Context context = Vertx.currentContext();
        Future<T> future = context == null ? Future.fromCompletionStage(stage)
                : Future.fromCompletionStage(stage, context);
        return future.transform(ar -> ar.succeeded() ? Future.succeededFuture(ar.result())
                : Future.failedFuture(unwrap(ar.cause())));
    }

    /** The {@link KalamException} behind an engine failure, whichever way it travelled. */
    public static KalamException unwrap(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof EngineFailure engineFailure) {
            return engineFailure.error();
        }
        if (cause instanceof KalamException kalam) {
            return kalam;
        }
        if (cause instanceof ReplyException reply) {
            return switch (reply.failureType()) {
                case NO_HANDLERS -> new KalamException(KalamErrorCode.SHUTTING_DOWN,
                        "the engine is not available (server starting or shutting down)");
                case TIMEOUT -> new KalamException(KalamErrorCode.INTERNAL_ERROR,
                        "the engine did not answer in time [timeoutMs=" + EventBusKalamService.REQUEST_TIMEOUT_MS
                                + "]");
                case RECIPIENT_FAILURE, ERROR -> KalamException.internal("engine request failed: "
                        + reply.getMessage(), reply);
            };
        }
        return KalamException.internal("engine request failed: " + cause, cause);
    }
}
