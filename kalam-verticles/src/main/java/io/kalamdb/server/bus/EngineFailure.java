package io.kalamdb.server.bus;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.error.KalamException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * A failed engine reply: the {@link KalamException} travels inside it, so the requester keeps its stable code.
 * Replying with this object (not {@code Message.fail}) fails the requester's future with it, as is.
 */
public final class EngineFailure extends ReplyException {
    private static final long serialVersionUID = 1L;

    private final KalamException error;

    public EngineFailure(KalamException error) {
        super(ReplyFailure.RECIPIENT_FAILURE, requireNonNull(error, "error is null").code().code(), error.getMessage(),
                error, false);
        this.error = error;
    }

    public KalamException error() {
        return error;
    }
}
