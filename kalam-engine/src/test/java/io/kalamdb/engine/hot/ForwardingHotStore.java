package io.kalamdb.engine.hot;

import io.kalamdb.engine.error.KalamException;

import java.util.Optional;

/**
 * A hot store that hands every call to a real one, for fault-injecting test stores to extend: each overrides only
 * the calls it breaks.
 */
public class ForwardingHotStore implements HotStore {
    private final HotStore delegate;

    public ForwardingHotStore(HotStore delegate) {
        this.delegate = delegate;
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
    public void sync() {
        delegate.sync();
    }

    @Override
    public Optional<KalamException> diskFull() {
        return delegate.diskFull();
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
