package io.kalamdb.engine.hot;

import io.kalamdb.engine.error.KalamException;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake hot store for fault injection: the real store it wraps, except that {@link #sync()} fails from a chosen
 * call on, as an fsync error would. Everything else, fencing included, goes to the real store.
 */
public final class SyncFaultStore extends ForwardingHotStore {
    private final AtomicInteger syncs = new AtomicInteger();
    private volatile int failFrom = Integer.MAX_VALUE;

    public SyncFaultStore(HotStore delegate) {
        super(delegate);
    }

    /** Sync call number {@code call} (1-based) and every later one fail as an fsync error would. */
    public void failSyncsFrom(int call) {
        failFrom = call;
    }

    public int syncs() {
        return syncs.get();
    }

    @Override
    public void sync() {
        if (syncs.incrementAndGet() >= failFrom) {
            throw KalamException.internal("hot store sync failed: injected fsync error (EIO)", null);
        }
        super.sync();
    }
}
