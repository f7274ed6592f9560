package io.kalamdb.engine;

import io.kalamdb.engine.api.KalamService;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.service.EngineOperations;
import io.kalamdb.engine.service.LocalKalamService;

import java.util.concurrent.Executor;
import java.util.function.ToLongFunction;

/**
 * Builds the in-process {@link KalamService} over an engine. It lives beside {@link KalamEngine} (which wires
 * everything) so that the API package depends on nothing of its implementation.
 */
public final class KalamServices {
    private KalamServices() {
    }

    /**
     * The in-process service over {@code engine}.
     *
     * @param executor           where the blocking engine work runs (one task per call or batch)
     * @param statementTimeoutMs the time limit of a statement by the role of its session, in milliseconds (0 =
     *                           none); the clock starts when the work starts on the executor
     */
    public static KalamService local(KalamEngine engine, Executor executor, ToLongFunction<Role> statementTimeoutMs) {
        // account locks are compared with the engine's clock, the one that set them
        return new LocalKalamService(EngineOperations.of(engine), executor, statementTimeoutMs,
                () -> engine.clock().millis() * 1000L);
    }
}
