package io.kalamdb.engine.jobs;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.catalog.TableType;
import io.kalamdb.engine.catalog.TopicDef;
import io.kalamdb.engine.hot.HotPartitionReader;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.hot.PartitionReader;
import io.kalamdb.engine.hot.Space;
import io.kalamdb.engine.topic.TopicMessage;
import io.kalamdb.engine.util.SnowflakeGenerator;
import io.kalamdb.engine.write.Command;
import io.kalamdb.engine.write.TopicKeys;
import io.kalamdb.engine.write.WriteLog;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background upkeep through the write log: evicts STREAM rows past their TTL and trims topic partitions past
 * their retention (age every run, size every tenth run).
 */
public final class Housekeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeper.class);
    private static final int OPS_PER_COMMAND = 500;

    private final Catalog catalog;
    private final HotStore store;
    private final PartitionReader reader;
    private final WriteLog log;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private long runs;

    /** Runs a pass every {@code intervalMs} of real time; what is expired is judged by {@code clock}. */
    public Housekeeper(Catalog catalog, HotStore store, WriteLog log, long intervalMs, Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.store = requireNonNull(store, "store is null");
        this.reader = new HotPartitionReader(store);
        this.log = requireNonNull(log, "log is null");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kalam-housekeeper");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::runOnce, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** One pass; public for tests and admin triggers. */
    public void runOnce() {
        try {
            for (TableDef t : catalog.tables()) {
                if (t.type() == TableType.STREAM && t.ttlSeconds() != null) {
                    evict(t);
                }
            }
            for (TopicDef t : catalog.topics()) {
                for (int p = 0; p < t.partitions(); p++) {
                    retain(t, p, runs % 10 == 0);
                }
            }
            runs++;
        } catch (RuntimeException e) {
            LOG.warn("housekeeping pass failed", e);
        }
    }

    /**
     * Evicts a STREAM table's rows older than its TTL: the cut-off comes from this node's clock and travels in
     * the command; which rows it removes is decided when the command applies. Repeats while a command removed
     * as many rows as it may.
     */
    private void evict(TableDef t) {
        long cutoffMs = clock.millis() - t.ttlSeconds() * 1000;
        if (cutoffMs <= SnowflakeGenerator.EPOCH_MS || !hasExpired(t, cutoffMs)) {
            return;
        }
        long beforeSeq = (cutoffMs - SnowflakeGenerator.EPOCH_MS) << 22;
        while (log.commit(new Command.EvictExpired(t.id(), beforeSeq, OPS_PER_COMMAND)).deleted()
                == OPS_PER_COMMAND) {
            LOG.debug("evicted a full command of expired rows [table={}]", t.qualifiedName());
        }
    }

    /**
     * Whether any row of the table is past the cut-off (a read, so that idle passes write nothing). A row's
     * {@code _seq} is a snowflake of its write time, so a partition holds an expired row exactly when the start of
     * its {@code _seq} index is below the cut-off: one seek per partition, not a scan of the table's rows.
     */
    private boolean hasExpired(TableDef t, long cutoffMs) {
        long beforeSeq = (cutoffMs - SnowflakeGenerator.EPOCH_MS) << 22;
        for (byte[] p = reader.nextPartition(t.id(), null); p != null; p = reader.nextPartition(t.id(), p)) {
            try (PartitionReader.RowCursor c = reader.scanSeq(p, 0, beforeSeq, false)) {
                if (c.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    private void retain(TopicDef t, int partition, boolean checkSize) {
        long cutoffMs = clock.millis() - t.retentionSeconds() * 1000;
        long trimBefore = -1;
        try (HotStore.Cursor c = store.scan(Space.TOPIC_MESSAGES, TopicKeys.partitionPrefix(t.id(), partition),
                false)) {
            while (c.next()) {
                long offset = TopicKeys.offsetOf(c.key());
                if (TopicMessage.decode(t.qualifiedName(), partition, offset, c.value()).timestampMs() >= cutoffMs) {
                    break;
                }
                trimBefore = offset + 1;
            }
        }
        if (checkSize) {
            long bytes = 0;
            try (HotStore.Cursor c = store.scan(Space.TOPIC_MESSAGES, TopicKeys.partitionPrefix(t.id(), partition),
                    true)) {
                while (c.next()) {
                    bytes += c.key().length + c.value().length;
                    if (bytes > t.retentionMaxBytes()) {
                        trimBefore = Math.max(trimBefore, TopicKeys.offsetOf(c.key()) + 1);
                        break;
                    }
                }
            }
        }
        if (trimBefore > 0) {
            log.commit(new Command.TrimTopic(t.id(), partition, trimBefore));
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
