package io.kalamdb.engine.live;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a subscription's frames to its sink in order: initial pages, then changes after its boundary. While the
 * initial data loads, changes are held back within bounds (a count and the age of the pinned snapshot); past
 * either the subscription ends as lagging. A resume catching up holds nothing back: its pages are read from fresh
 * snapshots, which contain every change it drops (ADR 0016). All of it runs under the subscription's lock.
 */
final class SubscriptionDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionDelivery.class);

    private final int maxInitialBuffered;
    private final long maxSnapshotAgeMs;
    private final Consumer<Subscription> ender;
    private final java.time.Clock clock;

    /**
     * @param ender ends a subscription in the registry (called under its lock when it falls behind while loading)
     */
    SubscriptionDelivery(int maxInitialBuffered, long maxSnapshotAgeMs, Consumer<Subscription> ender,
                         java.time.Clock clock) {
        this.clock = java.util.Objects.requireNonNull(clock, "clock is null");
        if (maxInitialBuffered < 1 || maxSnapshotAgeMs < 1) {
            throw new IllegalArgumentException("bounds must be positive [maxInitialBuffered=" + maxInitialBuffered
                    + ", maxSnapshotAgeMs=" + maxSnapshotAgeMs + "]");
        }
        this.maxInitialBuffered = maxInitialBuffered;
        this.maxSnapshotAgeMs = maxSnapshotAgeMs;
        this.ender = requireNonNull(ender, "ender is null");
    }

    /**
     * Sends a page; after the last one, flushes held-back changes and goes live: from then on a change is sent when
     * its {@code _seq} is above the boundary of the snapshot the last page was read from. Caller holds the lock.
     */
    void initial(Subscription sub, InitialBatch batch) {
        sub.sink().initial(sub, batch);
        if (batch.hasMore()) {
            if (sub.catchingUp) {
                // the next page of a resume reads a fresh snapshot: nothing stays pinned while the client pages
                release(sub);
            }
            return;
        }
        release(sub);
        sub.state = Subscription.State.LIVE;
        sub.catchingUp = false;
        while (!sub.buffer.isEmpty()) {
            LiveChange c = sub.buffer.poll();
            if (c.seq() > sub.boundary) {
                send(sub, c);
            }
        }
    }

    /** Delivers a matched change by the subscription's state: held back, sent, or ignored once closed. */
    void change(Subscription sub, LiveChange change) {
        synchronized (sub) {
            switch (sub.state) {
                case LOADING -> {
                    // a resume catching up drops it: it was published before the next page's boundary is taken
                    // (the lock orders the two), so that page reads it from the _seq index
                    if (!sub.catchingUp) {
                        holdBack(sub, change);
                    }
                }
                case LIVE -> {
                    if (change.seq() > sub.boundary) {
                        send(sub, change);
                    }
                }
                case CLOSED -> { }
            }
        }
    }

    /** Releases the snapshot a loading subscription pins. Caller holds the lock. */
    static void release(Subscription sub) {
        if (sub.snapshot != null) {
            sub.snapshot.close();
            sub.snapshot = null;
        }
    }

    /**
     * Holds a change back until the initial data is out, within bounds: a subscriber that does not page (no
     * {@code next_batch}) while writes go on would otherwise keep every change and its snapshot without limit.
     * Past a bound the subscription ends as lagging, resuming after the last initial row it was sent.
     */
    private void holdBack(Subscription sub, LiveChange change) {
        String why = null;
        if (sub.buffer.size() >= maxInitialBuffered) {
            why = "more than " + maxInitialBuffered + " changes arrived while the initial data was loading "
                    + "(request next_batch sooner)";
        } else if (System.nanoTime() - sub.snapshotTakenAtNanos > TimeUnit.MILLISECONDS.toNanos(maxSnapshotAgeMs)) {
            why = "the initial data was loading for more than " + maxSnapshotAgeMs + " ms while changes arrived "
                    + "(request next_batch sooner)";
        }
        if (why == null) {
            sub.buffer.add(change);
            return;
        }
        long resumeFrom = sub.cursorSeq;
        LOG.info("loading subscription lagging, ended [liveId={}, buffered={}, resumeFrom={}]", sub.liveId(),
                sub.buffer.size(), resumeFrom);
        ender.accept(sub);
        sub.sink().lagging(sub, resumeFrom, why);
    }

    private void send(Subscription sub, LiveChange change) {
        sub.changes++;
        sub.lastUpdateMicros = clock.millis() * 1000L;
        sub.sink().change(sub, change);
    }
}
