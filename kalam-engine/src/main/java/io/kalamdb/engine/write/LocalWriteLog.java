package io.kalamdb.engine.write;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.util.SnowflakeGenerator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-node write log: one writer thread takes commands in arrival order, assigns each its log index
 * and {@code _seq} block, applies it (the hot store's write-ahead log is the durable record), and then —
 * once per group of commands that queued up meanwhile — syncs the log and acknowledges the whole group
 * (group commit). Change events are published after the sync, in commit order.
 */
public final class LocalWriteLog implements WriteLog {
    private static final Logger LOG = LoggerFactory.getLogger(LocalWriteLog.class);
    private static final int MAX_GROUP = 512;

    private final HotStore store;
    private final Applier applier;
    private final SnowflakeGenerator seqs;
    private final boolean sync;
    private final ChangeListener listener;
    private final java.util.function.Consumer<java.util.Set<Long>> topicsAppended;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;
    private long index;

    public LocalWriteLog(HotStore store, Applier applier, SnowflakeGenerator seqs, boolean sync,
                         ChangeListener listener, java.util.function.Consumer<java.util.Set<Long>> topicsAppended) {
        this.store = requireNonNull(store, "store is null");
        this.applier = requireNonNull(applier, "applier is null");
        this.seqs = requireNonNull(seqs, "seqs is null");
        this.sync = sync;
        this.listener = requireNonNull(listener, "listener is null");
        this.topicsAppended = requireNonNull(topicsAppended, "topicsAppended is null");
        this.index = applier.appliedIndex();
        this.writer = new Thread(this::run, "kalam-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    @Override
    public CompletableFuture<ApplyResult> append(Command command) {
        CompletableFuture<ApplyResult> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(new KalamException(KalamErrorCode.SHUTTING_DOWN, "server is shutting down"));
            return future;
        }
        queue.add(new Pending(command, future));
        return future;
    }

    private void run() {
        List<Pending> group = new ArrayList<>();
        List<ApplyResult> results = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                for (Pending p : group) {
                    results.add(applyOne(p));
                }
                if (sync) {
                    store.sync();
                }
                List<ChangeEvent> events = new ArrayList<>();
                java.util.Set<Long> topics = new java.util.HashSet<>();
                for (int i = 0; i < group.size(); i++) {
                    ApplyResult r = results.get(i);
                    if (r != null) {
                        events.addAll(r.events());
                        topics.addAll(r.topics());
                    }
                }
                if (!events.isEmpty()) {
                    publish(events);
                }
                for (int i = 0; i < group.size(); i++) {
                    ApplyResult r = results.get(i);
                    if (r != null) {
                        group.get(i).future.complete(r);
                    }
                }
                if (!topics.isEmpty()) {
                    topicsAppended.accept(topics);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.error("write log failure", e);
                for (Pending p : group) {
                    p.future.completeExceptionally(KalamException.internal("write failed: " + e.getMessage(), e));
                }
            } finally {
                group.clear();
                results.clear();
            }
        }
    }

    private ApplyResult applyOne(Pending p) {
        try {
            long first = p.command.seqCount() == 0 ? 0 : seqs.reserve(p.command.seqCount());
            return applier.apply(p.command, ++index, first);
        } catch (KalamException e) {
            p.future.completeExceptionally(e);
            return null;
        } catch (RuntimeException e) {
            p.future.completeExceptionally(KalamException.internal("apply failed: " + e.getMessage(), e));
            return null;
        }
    }

    private void publish(List<ChangeEvent> events) {
        try {
            listener.onCommitted(events);
        } catch (RuntimeException e) {
            LOG.warn("change listener failed", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Pending(Command command, CompletableFuture<ApplyResult> future) {
    }
}
