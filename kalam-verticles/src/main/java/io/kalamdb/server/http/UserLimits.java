package io.kalamdb.server.http;

import static java.util.Objects.requireNonNull;

import io.vertx.core.shareddata.Shareable;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Per-user admission of SQL requests, shared by every HTTP verticle instance: a token bucket of
 * {@code rate_limit.max_queries_per_sec} (reference 6.4; a burst of one second's worth) and a bound on the
 * statements one user has in flight, so that one user's heavy queries cannot hold every engine worker while other
 * users wait. Both refusals are {@code 429 RATE_LIMIT_EXCEEDED} with {@code Retry-After}.
 */
public final class UserLimits implements Shareable {
    /** A refused request: why, and when to try again. */
    public record Refusal(String message, long retryAfterSeconds) {
    }

    private final int queriesPerSecond;
    private final int maxInFlight;
    private final LongSupplier nanoClock;
    private final ConcurrentMap<String, UserState> users = new ConcurrentHashMap<>();

    /**
     * @param queriesPerSecond requests per second and user; 0 = no rate limit
     * @param maxInFlight      statements one user may have running at once; 0 = no bound
     */
    UserLimits(int queriesPerSecond, int maxInFlight) {
        this(queriesPerSecond, maxInFlight, System::nanoTime);
    }

    /** As above, with the clock the buckets refill by (tests pass a fake one). */
    UserLimits(int queriesPerSecond, int maxInFlight, LongSupplier nanoClock) {
        this.nanoClock = requireNonNull(nanoClock, "nanoClock is null");
        if (queriesPerSecond < 0 || maxInFlight < 0) {
            throw new IllegalArgumentException("limits must not be negative [queriesPerSecond=" + queriesPerSecond
                    + ", maxInFlight=" + maxInFlight + "]");
        }
        this.queriesPerSecond = queriesPerSecond;
        this.maxInFlight = maxInFlight;
    }

    /** Admits one request of {@code userId} (then {@link #release} must follow once), or says why not. */
    public Refusal admit(String userId) {
        if (queriesPerSecond == 0 && maxInFlight == 0) {
            return null;
        }
        UserState state = users.computeIfAbsent(userId, id -> new UserState(queriesPerSecond, nanoClock.getAsLong()));
        synchronized (state) {
            if (maxInFlight > 0 && state.inFlight >= maxInFlight) {
                return new Refusal("Too many statements running at once for this user [max=" + maxInFlight
                        + "]. Please wait for a result before sending more.", 1);
            }
            if (queriesPerSecond > 0) {
                long waitNanos = state.take(queriesPerSecond, nanoClock.getAsLong());
                if (waitNanos > 0) {
                    return new Refusal("Too many queries per second. Please slow down.",
                            Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L));
                }
            }
            state.inFlight++;
            return null;
        }
    }

    /** Ends a request that {@link #admit} let in. */
    public void release(String userId) {
        if (queriesPerSecond == 0 && maxInFlight == 0) {
            return;
        }
        UserState state = users.get(userId);
        if (state != null) {
            synchronized (state) {
                state.inFlight--;
            }
        }
    }

    /** One user's bucket and running statements; guarded by its own monitor. */
    private static final class UserState {
        private double tokens;
        private long refilledAtNanos;
        private int inFlight;

        UserState(int capacity, long now) {
            this.tokens = capacity;
            this.refilledAtNanos = now;
        }

        /** Takes a token and returns 0, or returns the nanos until one is available. */
        long take(int perSecond, long now) {
            tokens = Math.min(perSecond, tokens + (now - refilledAtNanos) * perSecond / 1e9);
            refilledAtNanos = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) * 1e9 / perSecond);
        }
    }
}
