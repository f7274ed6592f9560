package io.kalamdb.engine.live;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.catalog.TableType;
import io.kalamdb.engine.hot.HotPartitionReader;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.hot.KeyCodec;
import io.kalamdb.engine.hot.PartitionReader;
import io.kalamdb.engine.hot.RowCodec;
import io.kalamdb.engine.hot.StoredRow;
import io.kalamdb.engine.util.SnowflakeGenerator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a subscription's initial data from its snapshot through the {@code _seq} index: pages that seek to the
 * first {@code _seq} after the previous page, or the newest {@code last_rows}. Rows are filtered by the
 * subscription's compiled WHERE and projected to its columns. Called under the subscription's lock.
 */
final class InitialLoader {
    private final Catalog catalog;
    private final java.time.Clock clock;
    /** How snapshots are read (a test may count the reads). */
    private volatile Function<HotStore.Snapshot, PartitionReader> readers = HotPartitionReader::over;

    InitialLoader(Catalog catalog, java.time.Clock clock) {
        this.clock = java.util.Objects.requireNonNull(clock, "clock is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    /** Replaces how snapshots are read; for tests that count the rows each page reads. */
    void readers(Function<HotStore.Snapshot, PartitionReader> newReaders) {
        this.readers = requireNonNull(newReaders, "newReaders is null");
    }

    /** The first page: after {@code from} for a resume, else the newest {@code lastRows}, else from the start. */
    InitialBatch first(Subscription sub) {
        SubscribeOptions o = sub.options();
        if (o.from() != null) {
            sub.cursorSeq = o.from();
            return page(sub, o.from(), o.effectiveBatchSize());
        }
        if (o.lastRows() != null) {
            return lastRows(sub, o.lastRows());
        }
        return page(sub, 0, o.effectiveBatchSize());
    }

    private boolean visible(Subscription sub, TableDef current, StoredRow row, boolean includeDeleted) {
        if (row.deleted() && !includeDeleted) {
            return false;
        }
        TableDef t = current;
        if (t.type() == TableType.STREAM && t.ttlSeconds() != null
                && SnowflakeGenerator.timestampMs(row.seq()) < clock.millis() - t.ttlSeconds() * 1000) {
            return false;
        }
        return sub.filter().test(current, row);
    }

    /**
     * Rows with {@code _seq > after}, ascending, one page: the read seeks to the first seq after the previous page,
     * so a page costs its own rows, not every row before it. Resumes include soft-deleted rows (the client learns
     * what was deleted while it was away).
     */
    InitialBatch page(Subscription sub, long after, int size) {
        TableDef t = current(sub);
        byte[] prefix = KeyCodec.partitionPrefix(t.id(), sub.partition());
        boolean includeDeleted = sub.options().from() != null;
        List<Map<String, Object>> rows = new ArrayList<>();
        boolean hasMore = false;
        long last = after;
        long from = after == Long.MAX_VALUE ? after : Math.max(0, after + 1);
        try (PartitionReader.RowCursor c = readers.apply(sub.snapshot).scanSeq(prefix, from, Long.MAX_VALUE, false)) {
            while (c.next()) {
                io.kalamdb.engine.StatementControl.checkCurrent();
                byte[] value = c.value();
                StoredRow row = RowCodec.decode(t, value);
                if (!visible(sub, t, row, includeDeleted)) {
                    continue;
                }
                if (rows.size() == size) {
                    hasMore = true;
                    break;
                }
                rows.add(sub.project(t, row));
                last = row.seq();
            }
        }
        sub.cursorSeq = last;
        return new InitialBatch(rows, sub.batchNum, hasMore, rows.isEmpty() ? null : last);
    }

    private InitialBatch lastRows(Subscription sub, int n) {
        TableDef t = current(sub);
        byte[] prefix = KeyCodec.partitionPrefix(t.id(), sub.partition());
        List<Map<String, Object>> rows = new ArrayList<>();
        long last = 0;
        try (PartitionReader.RowCursor c = readers.apply(sub.snapshot).scanSeq(prefix, 0, Long.MAX_VALUE, true)) {
            while (rows.size() < n && c.next()) {
                io.kalamdb.engine.StatementControl.checkCurrent();
                byte[] value = c.value();
                StoredRow row = RowCodec.decode(t, value);
                if (!visible(sub, t, row, false)) {
                    continue;
                }
                if (rows.isEmpty()) {
                    last = row.seq();
                }
                rows.add(sub.project(t, row));
            }
        }
        Collections.reverse(rows);
        return new InitialBatch(rows, 0, false, rows.isEmpty() ? null : last);
    }

    private TableDef current(Subscription sub) {
        TableDef t = catalog.table(sub.table().id());
        return t == null ? sub.table() : t;
    }
}
