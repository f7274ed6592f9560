package io.kalamdb.engine.util;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Generators for SNOWFLAKE_ID(), UUID_V7() and ULID() values. Each engine owns one instance (its node id and
 * snowflake sequence, its clock), so two engines in one JVM share no counter; a statement binds its engine's instance to
 * the running thread ({@link #bind}) for the functions Calcite calls statically. UUID_V7 and ULID keep no
 * state but their engine's time.
 */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final ThreadLocal<Ids> BOUND = new ThreadLocal<>();

    private final SnowflakeGenerator snowflakes;
    private final Clock clock;

    public Ids(int nodeId) {
        this(nodeId, Clocks.system());
    }

    /** The generators of an engine whose wall time is {@code clock} (NOW(), snowflakes, UUID_V7, ULID). */
    public Ids(int nodeId, Clock clock) {
        this.clock = java.util.Objects.requireNonNull(clock, "clock is null");
        this.snowflakes = new SnowflakeGenerator(nodeId, clock);
    }

    /** The engine's wall time in Unix milliseconds: what NOW() and TTL cut-offs of a statement read. */
    public long currentTimeMillis() {
        return clock.millis();
    }

    /** Runs {@code body} with this instance as the thread's {@link #current()} (nested binds restore). */
    public <T> T bind(java.util.function.Supplier<T> body) {
        Ids previous = BOUND.get();
        BOUND.set(this);
        try {
            return body.get();
        } finally {
            if (previous == null) {
                BOUND.remove();
            } else {
                BOUND.set(previous);
            }
        }
    }

    /** The instance of the engine whose statement runs on this thread. */
    public static Ids current() {
        Ids ids = BOUND.get();
        if (ids == null) {
            throw io.kalamdb.engine.error.KalamException.internal("SNOWFLAKE_ID() evaluated outside a statement "
                    + "of an engine", null);
        }
        return ids;
    }

    /**
     * The wall time of the engine whose statement runs on this thread; outside a statement (a filter evaluated by
     * the live dispatcher, say) the system clock, since there is no engine to ask.
     */
    public static long statementMillis() {
        Ids ids = BOUND.get();
        return ids != null ? ids.currentTimeMillis() : Clocks.system().millis();
    }

    public long snowflake() {
        return snowflakes.next();
    }

    /** A time-ordered UUID version 7 (RFC 9562). */
    public String uuidV7() {
        long ms = clock.millis();
        long msb = (ms << 16) | 0x7000L | (RANDOM.nextInt() & 0x0fffL);
        long lsb = (RANDOM.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /** A ULID: 48 bits of milliseconds and 80 random bits in Crockford base32 (26 characters). */
    public String ulid() {
        long ms = clock.millis();
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (ms & 31)];
            ms >>>= 5;
        }
        long hi = 0;
        for (int i = 0; i < 5; i++) {
            hi = (hi << 8) | (random[i] & 0xff);
        }
        long lo = 0;
        for (int i = 5; i < 10; i++) {
            lo = (lo << 8) | (random[i] & 0xff);
        }
        for (int i = 17; i >= 10; i--) {
            out[i] = CROCKFORD[(int) (hi & 31)];
            hi >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = CROCKFORD[(int) (lo & 31)];
            lo >>>= 5;
        }
        return new String(out);
    }
}
