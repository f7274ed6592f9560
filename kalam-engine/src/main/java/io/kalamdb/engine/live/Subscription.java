package io.kalamdb.engine.live;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.ColumnInfo;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.hot.StoredRow;
import io.kalamdb.engine.sql.RowPredicate;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One live query: a filter over one table in the subscriber's partition, its projection, and its delivery
 * state. While the initial data loads, changes after the snapshot boundary are buffered; once the last
 * page is out they are flushed and later changes flow straight to the sink. A resume instead catches up page by
 * page from fresh snapshots and buffers nothing (ADR 0016). All state changes and sink
 * calls happen under this object's lock, which keeps frames in order.
 */
public final class Subscription {
    /** Lifecycle of a subscription. */
    public enum State { LOADING, LIVE, CLOSED }

    private final String liveId;
    private final String id;
    private final String connectionId;
    private final String userId;
    private final TableDef table;
    private final String partition;
    private final String sql;
    private final SubscribeOptions options;
    private final List<String> projection;
    private final List<ColumnInfo> schema;
    private final RowPredicate filter;
    private final LiveSink sink;
    private final long createdAtMicros;

    long boundary = Long.MAX_VALUE;
    HotStore.Snapshot snapshot;
    long snapshotTakenAtNanos;
    State state = State.LOADING;
    /**
     * A resume ({@code from}) still catching up: each page reads a fresh snapshot, nothing is pinned or held back
     * between pages, and the subscription goes live after the page that reaches its snapshot's end.
     */
    boolean catchingUp;
    int batchNum;
    long cursorSeq;
    final Deque<LiveChange> buffer = new ArrayDeque<>();
    volatile long changes;
    volatile long lastUpdateMicros;

    Subscription(String id, String connectionId, String userId, TableDef table, String partition, String sql,
                 SubscribeOptions options, List<String> projection, List<ColumnInfo> schema, RowPredicate filter,
                 LiveSink sink, long createdAtMicros) {
        this.createdAtMicros = createdAtMicros;
        this.lastUpdateMicros = createdAtMicros;
        this.id = requireNonNull(id, "id is null");
        this.connectionId = requireNonNull(connectionId, "connectionId is null");
        this.userId = requireNonNull(userId, "userId is null");
        this.table = requireNonNull(table, "table is null");
        this.partition = requireNonNull(partition, "partition is null");
        this.sql = requireNonNull(sql, "sql is null");
        this.options = requireNonNull(options, "options is null");
        this.projection = List.copyOf(projection);
        this.schema = List.copyOf(schema);
        this.filter = requireNonNull(filter, "filter is null");
        this.sink = requireNonNull(sink, "sink is null");
        this.liveId = userId + "-" + connectionId + "-" + id;
        this.catchingUp = options.from() != null;
    }

    public String liveId() {
        return liveId;
    }

    public String id() {
        return id;
    }

    public String connectionId() {
        return connectionId;
    }

    public String userId() {
        return userId;
    }

    public TableDef table() {
        return table;
    }

    public String partition() {
        return partition;
    }

    public String sql() {
        return sql;
    }

    public SubscribeOptions options() {
        return options;
    }

    /** The columns rows carry, in order (projected columns, then {@code _seq} and {@code _deleted}). */
    public List<ColumnInfo> schema() {
        return schema;
    }

    public long createdAtMicros() {
        return createdAtMicros;
    }

    public long changes() {
        return changes;
    }

    public long lastUpdateMicros() {
        return lastUpdateMicros;
    }

    public synchronized State state() {
        return state;
    }

    /** Changes held back while the initial data loads. */
    public synchronized int bufferedChanges() {
        return buffer.size();
    }

    /** Whether this is a resume still catching up from the {@code _seq} index (see ADR 0016). */
    public synchronized boolean isCatchingUp() {
        return catchingUp && state == State.LOADING;
    }

    /** Whether the subscription holds a store snapshot (while its initial data loads). */
    public synchronized boolean holdsSnapshot() {
        return snapshot != null;
    }

    LiveSink sink() {
        return sink;
    }

    RowPredicate filter() {
        return filter;
    }

    /** The row as the subscriber sees it: projected columns plus the system columns. */
    Map<String, Object> project(TableDef current, StoredRow row) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : projection) {
            if (name.equals(TableDef.SEQ)) {
                out.put(name, row.seq());
            } else if (name.equals(TableDef.DELETED)) {
                out.put(name, row.deleted());
            } else {
                int idx = current.columnIndex(name);
                out.put(name, idx < 0 ? null : row.values()[idx]);
            }
        }
        return out;
    }

    List<String> projection() {
        return projection;
    }
}
