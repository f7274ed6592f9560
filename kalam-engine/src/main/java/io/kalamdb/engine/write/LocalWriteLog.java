package io.kalamdb.engine.write;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.util.SnowflakeGenerator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * (group commit). Change events are published after the sync, in commit order, by the {@link CommitPipeline}
 * every write log shares. The queue is bounded: a command beyond the bound is refused with {@code OVERLOADED}.
 *
 * <p>Ordering: a command's rows become visible to readers when it is applied, before the group's sync; the
 * client's acknowledgement and the change events come only after the sync succeeded. If the sync fails the log
 * stops for good (see {@link #syncOrStop}): the store is fenced, so rows applied but never made durable are shown
 * to no one after that point, and neither acknowledged nor published.
 */
public final class LocalWriteLog implements WriteLog {
    private static final Logger LOG = LoggerFactory.getLogger(LocalWriteLog.class);
    private static final int MAX_GROUP = 512;

    private final HotStore store;
    private final Applier applier;
    private final SnowflakeGenerator seqs;
    /** Queue bound of the constructor without one (tests). */
    public static final int DEFAULT_MAX_QUEUED = 10_000;

    private final boolean sync;
    private final CommitPipeline pipeline;
    private final BlockingQueue<Pending> queue;
    private final int maxQueued;
    private final Thread writer;
    private volatile boolean closed;
    private volatile KalamException failure;
    private long index;

    public LocalWriteLog(HotStore store, Applier applier, SnowflakeGenerator seqs, boolean sync,
                         ChangeListener listener, java.util.function.Consumer<java.util.Set<Long>> topicsAppended) {
        this(store, applier, seqs, sync, new CommitPipeline(listener, topicsAppended), DEFAULT_MAX_QUEUED);
    }

    /**
     * A log whose queue holds at most {@code maxQueued} commands waiting for the writer; a command beyond that
     * is refused at once with {@code OVERLOADED} rather than queued without bound.
     */
    public LocalWriteLog(HotStore store, Applier applier, SnowflakeGenerator seqs, boolean sync,
                         CommitPipeline pipeline, int maxQueued) {
        this.store = requireNonNull(store, "store is null");
        this.applier = requireNonNull(applier, "applier is null");
        this.seqs = requireNonNull(seqs, "seqs is null");
        this.sync = sync;
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        if (maxQueued < 1) {
            throw new IllegalArgumentException("maxQueued must be positive: " + maxQueued);
        }
        this.maxQueued = maxQueued;
        this.queue = new LinkedBlockingQueue<>(maxQueued);
        this.index = applier.appliedIndex();
        this.writer = new Thread(this::run, "kalam-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    @Override
    public CompletableFuture<ApplyResult> append(Command command) {
        CompletableFuture<ApplyResult> future = new CompletableFuture<>();
        KalamException failed = failure;
        if (failed != null) {
            future.completeExceptionally(failed);
            return future;
        }
        if (closed) {
            future.completeExceptionally(new KalamException(KalamErrorCode.SHUTTING_DOWN, "server is shutting down"));
            return future;
        }
        // Queued even if the writer stops meanwhile: it keeps draining the queue, failing what it cannot write.
        if (!queue.offer(new Pending(command, future))) {
            future.completeExceptionally(new KalamException(KalamErrorCode.OVERLOADED, "too many writes are waiting "
                    + "for the write log; retry shortly [max_queued_commands=" + maxQueued + "]"));
        }
        return future;
    }

    @Override
    public Optional<KalamException> failure() {
        return Optional.ofNullable(failure);
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
                KalamException failed = failure;
                if (failed != null) {
                    failAll(group, failed);
                    continue;
                }
                for (Pending p : group) {
                    results.add(applyOne(p));
                }
                if (sync && !syncOrStop(group)) {
                    continue;
                }
                List<CompletableFuture<ApplyResult>> futures = new ArrayList<>(group.size());
                for (Pending p : group) {
                    futures.add(p.future);
                }
                pipeline.committed(results, futures);
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

    /**
     * Syncs the group's writes; when that fails, stops for good (fail-stop, as PostgreSQL does since an fsync
     * error may have dropped dirty pages whose state is then unknown): the store is fenced so that the group's
     * applied rows are shown to no reader, nothing of the group is published or acknowledged, and every later
     * command fails. The group is then failed too. A restart recovers from what the disk holds, as after a crash.
     * The exception is a store whose disk is full ({@code STORAGE_FULL}): it attempted no fsync, so the group is
     * failed with that retryable error and the log goes on.
     */
    private boolean syncOrStop(List<Pending> group) {
        try {
            store.sync();
            return true;
        } catch (KalamException e) {
            if (e.code() == KalamErrorCode.STORAGE_FULL) {
                // The store did not attempt the fsync (its disk is full; see RocksHotStore.sync): nothing is known
                // lost, so this is no fail-stop. The group is not acknowledged; writes resume once space returns.
                failAll(group, new KalamException(KalamErrorCode.STORAGE_FULL, e.getMessage() + "; this write was "
                        + "not acknowledged and may or may not have been applied", e));
                return false;
            }
            return stop(group, e);
        } catch (RuntimeException e) {
            return stop(group, e);
        }
    }

    private boolean stop(List<Pending> group, RuntimeException e) {
        KalamException stop = new KalamException(KalamErrorCode.STORAGE_UNAVAILABLE, "the write log could not "
                + "make writes durable and stopped; this node serves no data until it is restarted", e);
        LOG.error("FATAL: syncing the write-ahead log failed; stopping all reads and writes (fail-stop). "
                + "Restart the server once the disk is healthy; unacknowledged writes may or may not survive", e);
        store.fence(stop);
        failure = stop;
        failAll(group, stop);
        return false;
    }

    private static void failAll(List<Pending> group, KalamException cause) {
        for (Pending p : group) {
            p.future.completeExceptionally(cause);
        }
    }

    private ApplyResult applyOne(Pending p) {
        try {
            // the one sequencer: log position, _seq block and time are fixed here, before the entry applies
            long first = p.command.seqCount() == 0 ? 0 : seqs.reserve(p.command.seqCount());
            return applier.apply(new LogEntry(++index, first, seqs.clock().millis() * 1000L, p.command));
        } catch (KalamException e) {
            p.future.completeExceptionally(e);
            return null;
        } catch (RuntimeException e) {
            p.future.completeExceptionally(KalamException.internal("apply failed: " + e.getMessage(), e));
            return null;
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
