package io.kalamdb.engine.hot;

import io.kalamdb.engine.error.KalamException;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake hot store for fault injection: the real store it wraps, except that {@link #sync()} fails from a chosen
 * call on, as an fsync error would. Everything else, fencing included, goes to the real store.
 */
public final class SyncFaultStore implements HotStore {
    private final HotStore delegate;
    private final AtomicInteger syncs = new AtomicInteger();
    private volatile int failFrom = Integer.MAX_VALUE;

    public SyncFaultStore(HotStore delegate) {
        this.delegate = delegate;
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
        delegate.sync();
    }

    @Override
    public byte[] get(Space space, byte[] key) {
        return delegate.get(space, key);
    }

    @Override
    public Batch newBatch() {
        return delegate.newBatch();
    }

    @Override
    public void write(Batch batch) {
        delegate.write(batch);
    }

    @Override
    public Cursor scan(Space space, byte[] prefix, boolean reverse) {
        return delegate.scan(space, prefix, reverse);
    }

    @Override
    public Cursor scanRange(Space space, byte[] prefix, byte[] from, boolean reverse) {
        return delegate.scanRange(space, prefix, from, reverse);
    }

    @Override
    public Cursor scanBetween(Space space, byte[] lower, byte[] upper, boolean reverse) {
        return delegate.scanBetween(space, lower, upper, reverse);
    }

    @Override
    public Snapshot snapshot() {
        return delegate.snapshot();
    }

    @Override
    public void fence(KalamException cause) {
        delegate.fence(cause);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
