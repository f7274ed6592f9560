package io.kalamdb.engine.live;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.Session;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.hot.PartitionReader;
import io.kalamdb.engine.write.Applier;
import io.kalamdb.engine.write.ChangeEvent;
import io.kalamdb.engine.write.ChangeListener;

import java.util.List;
import java.util.function.Function;

/**
 * Live queries: the one entry point the rest of the engine calls to subscribe, page, unsubscribe and publish
 * committed changes. It wires the parts, each with one concern: {@link LivePlanner} (SQL to plan),
 * {@link SubscriptionIndex} (who can see a change), {@link InitialLoader} (initial pages from a snapshot taken
 * atomically with the boundary {@code _seq}), {@link ChangeMatcher} (a change as one subscription sees it),
 * {@link ChangeDispatcher} (matching off the write path, in commit order) and {@link SubscriptionDelivery}
 * (frames in order, bounded while loading).
 */
public final class LiveQueryRegistry implements ChangeListener, AutoCloseable {
    private final Applier applier;
    private final LivePlanner planner;
    private final SubscriptionIndex index;
    private final java.time.Clock clock;
    private final InitialLoader loader;
    private final SubscriptionDelivery delivery;
    private final ChangeDispatcher dispatcher;

    public LiveQueryRegistry(Catalog catalog, Applier applier, int maxPerUser) {
        this(catalog, applier, maxPerUser, 1024, Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    /** A registry with a bounded dispatch queue and unbounded initial loads (see the full constructor). */
    public LiveQueryRegistry(Catalog catalog, Applier applier, int maxPerUser,
                             int maxQueuedGroups) {
        this(catalog, applier, maxPerUser, maxQueuedGroups, Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    /** A registry with bounded initial loads and the default dispatch queue (see the full constructor). */
    public LiveQueryRegistry(Catalog catalog, Applier applier, int maxPerUser,
                             int maxInitialBuffered, long maxSnapshotAgeMs) {
        this(catalog, applier, maxPerUser, 1024, maxInitialBuffered, maxSnapshotAgeMs);
    }

    /**
     * A registry whose dispatch queue holds at most {@code maxQueuedGroups} committed groups of change events
     * (when it is full the committing thread waits for the dispatcher: back-pressure on writers, so no change is
     * ever dropped and memory stays bounded), and whose loading subscriptions hold back at most
     * {@code maxInitialBuffered} changes and keep their snapshot for at most {@code maxSnapshotAgeMs} while
     * changes arrive; past either they end as lagging.
     */
    public LiveQueryRegistry(Catalog catalog, Applier applier, int maxPerUser,
                             int maxQueuedGroups, int maxInitialBuffered, long maxSnapshotAgeMs) {
        this(catalog, applier, maxPerUser, maxQueuedGroups, maxInitialBuffered, maxSnapshotAgeMs,
                io.kalamdb.engine.util.Clocks.system());
    }

    /** The full constructor above, with the wall clock of TTL checks and update times. */
    public LiveQueryRegistry(Catalog catalog, Applier applier, int maxPerUser, int maxQueuedGroups,
                             int maxInitialBuffered, long maxSnapshotAgeMs, java.time.Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
        requireNonNull(catalog, "catalog is null");
        this.applier = requireNonNull(applier, "applier is null");
        this.planner = new LivePlanner(catalog);
        this.index = new SubscriptionIndex(maxPerUser);
        this.loader = new InitialLoader(catalog, clock);
        this.delivery = new SubscriptionDelivery(maxInitialBuffered, maxSnapshotAgeMs, this::unsubscribe, clock);
        this.dispatcher = new ChangeDispatcher(maxQueuedGroups, this::match);
    }

    /**
     * Validates, authorises and registers a subscription, then sends its first page of initial data to
     * the sink (and, if that is the last page, switches it to live delivery).
     */
    public Subscription subscribe(Session session, String connectionId, String subscriptionId, String sql,
                                  SubscribeOptions options, LiveSink sink) {
        LivePlan plan = planner.plan(sql, session);
        int batchSize = options.effectiveBatchSize();
        if (batchSize < 1 || batchSize > SubscribeOptions.DEFAULT_BATCH_SIZE) {
            throw new KalamException(KalamErrorCode.UNSUPPORTED, "batch_size must be between 1 and "
                    + SubscribeOptions.DEFAULT_BATCH_SIZE + " [batch_size=" + batchSize + "]");
        }
        if (options.lastRows() != null && (options.lastRows() < 0 || options.lastRows() > batchSize)) {
            throw new KalamException(KalamErrorCode.UNSUPPORTED, "last_rows (" + options.lastRows()
                    + ") cannot exceed batch_size (" + batchSize + "); paginated last_rows replay is not supported");
        }
        index.reserve(session.userId());
        String partition = plan.table().type().isPerUser() ? session.userId() : "";
        Subscription sub = new Subscription(subscriptionId, connectionId, session.userId(), plan.table(), partition,
                sql, options, plan.projection(), plan.schema(), plan.filter(), sink, clock.millis() * 1000L);
        synchronized (sub) {
            // Registered before the boundary is taken: every change published from now on reaches this
            // subscription (buffered while loading); those at or below the boundary are in the snapshot.
            index.add(sub);
            takeBoundary(sub);
            InitialBatch first;
            try {
                first = loader.first(sub);
            } catch (RuntimeException e) {
                unsubscribe(sub);
                throw e;
            }
            delivery.initial(sub, first);
        }
        return sub;
    }

    /**
     * Pins a snapshot of the store with its boundary {@code _seq}: the snapshot holds every row change at or below
     * the boundary, and every change above it is published after this call. Caller holds the lock.
     */
    private void takeBoundary(Subscription sub) {
        SubscriptionDelivery.release(sub);
        Applier.Boundary boundary = applier.boundary();
        sub.boundary = boundary.seq();
        sub.snapshot = boundary.snapshot();
        sub.snapshotTakenAtNanos = System.nanoTime();
    }

    /** Replaces how initial data is read from snapshots; for tests that count the rows each page reads. */
    void readers(Function<HotStore.Snapshot, PartitionReader> newReaders) {
        loader.readers(newReaders);
    }

    /**
     * Sends the next page of initial data ({@code _seq > lastSeqId}, or after the last page sent). A resume reads
     * it from a fresh snapshot and goes live after the page that reaches that snapshot's end (ADR 0016).
     */
    public void nextBatch(Subscription sub, Long lastSeqId) {
        synchronized (sub) {
            if (sub.state != Subscription.State.LOADING) {
                return;
            }
            if (lastSeqId != null) {
                sub.cursorSeq = lastSeqId;
            }
            if (!sub.catchingUp) {
                sub.batchNum++;
                delivery.initial(sub, loader.page(sub, sub.cursorSeq, sub.options().effectiveBatchSize()));
                return;
            }
            // a resume reads each page from a fresh snapshot, so it catches up with writes made meanwhile
            takeBoundary(sub);
            sub.batchNum++; // the page is numbered when it is read
            InitialBatch page;
            try {
                page = loader.page(sub, sub.cursorSeq, sub.options().effectiveBatchSize());
            } catch (RuntimeException | Error e) {
                // the next page takes a snapshot of its own: this one must not stay pinned meanwhile
                SubscriptionDelivery.release(sub);
                sub.batchNum--;
                throw e;
            }
            delivery.initial(sub, page);
        }
    }

    public void unsubscribe(Subscription sub) {
        synchronized (sub) {
            if (sub.state == Subscription.State.CLOSED) {
                return;
            }
            sub.state = Subscription.State.CLOSED;
            SubscriptionDelivery.release(sub);
            sub.buffer.clear();
        }
        index.remove(sub);
    }

    /** Ends a subscription on the server's initiative and tells its sink. */
    public void kill(Subscription sub) {
        unsubscribe(sub);
        sub.sink().killed(sub);
    }

    /** All open subscriptions (for {@code system.live}). */
    public List<Subscription> all() {
        return index.all();
    }

    public Subscription find(String liveId) {
        return index.find(liveId);
    }

    @Override
    public void onCommitted(List<ChangeEvent> events) {
        if (index.isEmpty()) {
            return;
        }
        dispatcher.offer(events);
    }

    /** Matches one change against the subscriptions of its table and partition (on the dispatcher thread). */
    private void match(ChangeEvent e) {
        for (Subscription sub : index.candidates(e.table().id(), e.partition())) {
            LiveChange change = ChangeMatcher.changeFor(sub, e);
            if (change != null) {
                delivery.change(sub, change);
            }
        }
    }

    @Override
    public void close() {
        dispatcher.close();
        for (Subscription s : all()) {
            unsubscribe(s);
        }
    }
}
