package io.kalamdb.engine.util;

import java.time.Clock;

/**
 * The one place in the engine that reaches for the machine's wall clock; everything else is handed a {@link Clock}.
 *
 * <p>Engine components read wall time only through the {@code Clock} of their engine ({@code EngineConfig#clock}),
 * so that tests can move time forward instead of waiting for a TTL, a retention period, a claim's visibility timeout
 * or a lockout to pass. The forbidden-apis check refuses {@code System.currentTimeMillis()}, {@code Instant.now()}
 * and the like in engine code; this class is the only exception. Elapsed-time measurements ({@code System.nanoTime})
 * are not wall time and stay allowed.
 */
public final class Clocks {
    private Clocks() {
    }

    /** The machine's wall clock in UTC: what a real engine runs on. */
    @SuppressForbidden
    public static Clock system() {
        return Clock.systemUTC();
    }
}
