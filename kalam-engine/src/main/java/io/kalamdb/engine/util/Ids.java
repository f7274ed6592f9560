package io.kalamdb.engine.util;

import java.security.SecureRandom;
import java.util.UUID;

/** Generators for SNOWFLAKE_ID(), UUID_V7() and ULID() values. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static volatile SnowflakeGenerator snowflakes = new SnowflakeGenerator(1);

    private Ids() {
    }

    /** Sets the node id used in SNOWFLAKE_ID() values. */
    public static void configureNode(int nodeId) {
        snowflakes = new SnowflakeGenerator(nodeId);
    }

    public static long snowflake() {
        return snowflakes.next();
    }

    /** A time-ordered UUID version 7 (RFC 9562). */
    public static String uuidV7() {
        long ms = System.currentTimeMillis();
        long msb = (ms << 16) | 0x7000L | (RANDOM.nextInt() & 0x0fffL);
        long lsb = (RANDOM.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /** A ULID: 48 bits of milliseconds and 80 random bits in Crockford base32 (26 characters). */
    public static String ulid() {
        long ms = System.currentTimeMillis();
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
