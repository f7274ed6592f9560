package io.kalamdb.server.error;

import io.kalamdb.engine.error.ErrorText;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The message a client sees for a failure: the error's own message, except that an internal failure, or any
 * message showing Java internals, becomes {@code internal error [ref=…]} while the full failure is logged here
 * under the same reference (so an operator can find it, and a client learns nothing of the implementation).
 */
public final class ClientMessages {
    private static final Logger LOG = LoggerFactory.getLogger(ClientMessages.class);

    private ClientMessages() {
    }

    public static String of(KalamException error) {
        boolean internal = error.code().category() == KalamErrorCode.Category.INTERNAL_ERROR;
        if (!internal && !ErrorText.looksInternal(error.getMessage())) {
            return error.getMessage();
        }
        String ref = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
        // a wrapper's own stack only says where the failure was caught: log what failed, with its stack
        Throwable logged = error.getCause() != null ? error.getCause() : error;
        LOG.error("internal error [ref={}, code={}, message={}]", ref, error.code(), error.getMessage(), logged);
        return internal ? "internal error [ref=" + ref + "]" : "the request failed [ref=" + ref + "]";
    }
}
