package io.kalamdb.engine.live;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.ColumnInfo;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.catalog.AccessLevel;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.ColumnDef;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.catalog.TableType;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.hot.HotPartitionReader;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.hot.KeyCodec;
import io.kalamdb.engine.hot.PartitionReader;
import io.kalamdb.engine.hot.RowCodec;
import io.kalamdb.engine.hot.StoredRow;
import io.kalamdb.engine.sql.CalciteSql;
import io.kalamdb.engine.sql.FilterCompiler;
import io.kalamdb.engine.sql.RowPredicate;
import io.kalamdb.engine.util.SnowflakeGenerator;
import io.kalamdb.engine.write.Applier;
import io.kalamdb.engine.write.ChangeEvent;
import io.kalamdb.engine.write.ChangeListener;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live queries: validates and registers subscriptions, serves their initial data from a snapshot taken
 * atomically with the boundary {@code _seq}, and matches committed changes. Subscriptions are indexed by
 * (table, partition), so a change is matched only against the subscriptions that can see it. Matching runs
 * on one dispatcher thread, off the write path, in commit order.
 */
public final class LiveQueryRegistry implements ChangeListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveQueryRegistry.class);

    private final Catalog catalog;
    private final Applier applier;
    private final int maxPerUser;
    private final int maxInitialBuffered;
    private final long maxSnapshotAgeMs;
    private final java.time.Clock clock;
    private final Map<Long, Map<String, List<Subscription>>> index = new ConcurrentHashMap<>();
    private final Map<String, Subscription> byLiveId = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perUser = new ConcurrentHashMap<>();
    private final BlockingQueue<List<ChangeEvent>> queue;
    private final Thread dispatcher;
    private volatile boolean closed;

    /** How initial data is read from a subscription's snapshot (a test may count the reads). */
    private volatile java.util.function.Function<HotStore.Snapshot, PartitionReader> readers =
            HotPartitionReader::over;

    public LiveQueryRegistry(Catalog catalog, Applier applier, int maxPerUser) {
        this(catalog, applier, maxPerUser, 1024, Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    /** A registry with a bounded dispatch queue and unbounded initial loads (see the full constructor). */
    public LiveQueryRegistry(Catalog catalog, Applier applier, int maxPerUser, int maxQueuedGroups) {
        this(catalog, applier, maxPerUser, maxQueuedGroups, Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    /** A registry with bounded initial loads and the default dispatch queue (see the full constructor). */
    public LiveQueryRegistry(Catalog catalog, Applier applier, int maxPerUser, int maxInitialBuffered,
                             long maxSnapshotAgeMs) {
        this(catalog, applier, maxPerUser, 1024, maxInitialBuffered, maxSnapshotAgeMs);
    }

    /**
     * A registry whose dispatch queue holds at most {@code maxQueuedGroups} committed groups of change events
     * (when it is full the committing thread waits for the dispatcher: back-pressure on writers, so no change is
     * ever dropped and memory stays bounded), and whose loading subscriptions hold back at most
     * {@code maxInitialBuffered} changes and keep their snapshot for at most {@code maxSnapshotAgeMs} while
     * changes arrive; past either they end as lagging.
     */
    public LiveQueryRegistry(Catalog catalog, Applier applier, int maxPerUser, int maxQueuedGroups,
                             int maxInitialBuffered, long maxSnapshotAgeMs) {
        this(catalog, applier, maxPerUser, maxQueuedGroups, maxInitialBuffered, maxSnapshotAgeMs,
                io.kalamdb.engine.util.Clocks.system());
    }

    /** The full constructor above, with the wall clock of TTL checks and update times. */
    public LiveQueryRegistry(Catalog catalog, Applier applier, int maxPerUser, int maxQueuedGroups,
                             int maxInitialBuffered, long maxSnapshotAgeMs, java.time.Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.applier = requireNonNull(applier, "applier is null");
        this.maxPerUser = maxPerUser;
        this.queue = new LinkedBlockingQueue<>(maxQueuedGroups);
        if (maxInitialBuffered < 1 || maxSnapshotAgeMs < 1) {
            throw new IllegalArgumentException("bounds must be positive [maxInitialBuffered=" + maxInitialBuffered
                    + ", maxSnapshotAgeMs=" + maxSnapshotAgeMs + "]");
        }
        this.maxInitialBuffered = maxInitialBuffered;
        this.maxSnapshotAgeMs = maxSnapshotAgeMs;
        this.dispatcher = new Thread(this::dispatch, "kalam-live-dispatcher");
        this.dispatcher.setDaemon(true);
        this.dispatcher.start();
    }

    /**
     * Validates, authorises and registers a subscription, then sends its first page of initial data to
     * the sink (and, if that is the last page, switches it to live delivery).
     */
    public Subscription subscribe(Session session, String connectionId, String subscriptionId, String sql,
                                  SubscribeOptions options, LiveSink sink) {
        Parsed parsed = parse(sql, session);
        int batchSize = options.effectiveBatchSize();
        if (batchSize < 1 || batchSize > SubscribeOptions.DEFAULT_BATCH_SIZE) {
            throw new KalamException(KalamErrorCode.UNSUPPORTED, "batch_size must be between 1 and "
                    + SubscribeOptions.DEFAULT_BATCH_SIZE + " [batch_size=" + batchSize + "]");
        }
        if (options.lastRows() != null && (options.lastRows() < 0 || options.lastRows() > batchSize)) {
            throw new KalamException(KalamErrorCode.UNSUPPORTED, "last_rows (" + options.lastRows()
                    + ") cannot exceed batch_size (" + batchSize + "); paginated last_rows replay is not supported");
        }
        AtomicInteger count = perUser.computeIfAbsent(session.userId(), u -> new AtomicInteger());
        if (count.incrementAndGet() > maxPerUser) {
            count.decrementAndGet();
            throw new KalamException(KalamErrorCode.SUBSCRIPTION_LIMIT_EXCEEDED, "Maximum subscriptions reached [max="
                    + maxPerUser + "]");
        }
        TableDef t = parsed.table;
        String partition = t.type().isPerUser() ? session.userId() : "";
        List<Subscription> bucket = index.computeIfAbsent(t.id(), k -> new ConcurrentHashMap<>())
                .computeIfAbsent(partition, k -> new CopyOnWriteArrayList<>());
        Subscription sub = new Subscription(subscriptionId, connectionId, session.userId(), t, partition, sql, options,
                parsed.projection, parsed.schema, parsed.filter, sink, clock.millis() * 1000L);
        synchronized (sub) {
            // Registered before the boundary is taken: every change published from now on reaches this
            // subscription (buffered while loading); those at or below the boundary are in the snapshot.
            bucket.add(sub);
            byLiveId.put(sub.liveId(), sub);
            Applier.Boundary boundary = applier.boundary();
            sub.boundary = boundary.seq();
            sub.snapshot = boundary.snapshot();
            sub.snapshotTakenAtNanos = System.nanoTime();
            InitialBatch first;
            try {
                first = firstBatch(sub);
            } catch (RuntimeException e) {
                unsubscribe(sub);
                throw e;
            }
            deliverInitial(sub, first);
        }
        return sub;
    }

    /** Replaces how initial data is read from snapshots; for tests that count the rows each page reads. */
    void readers(java.util.function.Function<HotStore.Snapshot, PartitionReader> newReaders) {
        this.readers = requireNonNull(newReaders, "newReaders is null");
    }

    /** Sends the next page of initial data ({@code _seq > lastSeqId}, or after the last page sent). */
    public void nextBatch(Subscription sub, Long lastSeqId) {
        synchronized (sub) {
            if (sub.state != Subscription.State.LOADING) {
                return;
            }
            if (lastSeqId != null) {
                sub.cursorSeq = lastSeqId;
            }
            sub.batchNum++;
            deliverInitial(sub, page(sub, sub.cursorSeq, sub.options().effectiveBatchSize()));
        }
    }

    public void unsubscribe(Subscription sub) {
        synchronized (sub) {
            if (sub.state == Subscription.State.CLOSED) {
                return;
            }
            sub.state = Subscription.State.CLOSED;
            releaseSnapshot(sub);
            sub.buffer.clear();
        }
        Map<String, List<Subscription>> parts = index.get(sub.table().id());
        if (parts != null) {
            List<Subscription> list = parts.get(sub.partition());
            if (list != null) {
                list.remove(sub);
            }
        }
        byLiveId.remove(sub.liveId());
        AtomicInteger count = perUser.get(sub.userId());
        if (count != null) {
            count.decrementAndGet();
        }
    }

    /** Ends a subscription on the server's initiative and tells its sink. */
    public void kill(Subscription sub) {
        unsubscribe(sub);
        sub.sink().killed(sub);
    }

    /** All open subscriptions (for {@code system.live}). */
    public List<Subscription> all() {
        List<Subscription> list = new ArrayList<>(byLiveId.values());
        list.sort((a, b) -> a.liveId().compareTo(b.liveId()));
        return list;
    }

    public Subscription find(String liveId) {
        return byLiveId.get(liveId);
    }

    // ---------- SQL ----------

    private record Parsed(TableDef table, List<String> projection, List<ColumnInfo> schema, RowPredicate filter) {
    }

    private Parsed parse(String sql, Session session) {
        // the statement splitter and parser of HTTP first, so that a statement they reject has the same message here
        try {
            io.kalamdb.engine.sql.SqlLexer.splitStatements(sql);
        } catch (KalamException e) {
            throw new KalamException(io.kalamdb.engine.error.KalamErrorCode.BATCH_PARSE_ERROR,
                    "Failed to parse SQL batch: " + e.getMessage(), e.line(), e.column(), e);
        }
        io.kalamdb.engine.sql.KalamParser.parse(sql, List.of(), "default");
        String prepared = CalciteSql.prepare(sql, List.of()).sql();
        SqlNode node = CalciteSql.parse(prepared);
        if (!(node instanceof SqlSelect s)) {
            String what = node.getKind() == SqlKind.ORDER_BY ? "ORDER BY, LIMIT and OFFSET" : node.getKind().name();
            throw KalamException.invalidSql("Subscription query does not support " + what
                    + ". Use: SELECT <columns>|* FROM <namespace>.<table> [WHERE <condition>]");
        }
        if (s.isDistinct() || s.getGroup() != null || s.getHaving() != null || s.getFetch() != null
                || s.getOffset() != null || (s.getOrderList() != null && s.getOrderList().size() > 0)
                || (s.getWindowList() != null && s.getWindowList().size() > 0)) {
            throw KalamException.invalidSql("Subscription query does not support DISTINCT, GROUP BY, HAVING, "
                    + "ORDER BY, LIMIT or OFFSET");
        }
        if (!(s.getFrom() instanceof SqlIdentifier from)) {
            throw KalamException.invalidSql("Subscription query must read exactly one table (no JOIN, subquery "
                    + "or alias)");
        }
        if (from.names.size() != 2) {
            throw KalamException.invalidSql("Query must use namespace.table format [table=" + from + "]");
        }
        String ns = from.names.get(0);
        String name = from.names.get(1);
        if (ns.equalsIgnoreCase("system")) {
            throw new KalamException(session.isAdmin() ? KalamErrorCode.UNSUPPORTED : KalamErrorCode.PERMISSION_DENIED,
                    session.isAdmin() ? "live subscriptions to system tables are not supported; query them instead"
                            : "Admin privileges (DBA or System role) required to subscribe to system tables");
        }
        TableDef t = catalog.table(ns, name);
        if (t == null) {
            // the message of the same mistake over HTTP (KalamException.tableNotFound); the code stays NOT_FOUND
            throw new KalamException(KalamErrorCode.NOT_FOUND, "table does not exist [table=" + ns + "." + name + "]");
        }
        if (t.type() == TableType.SHARED) {
            AccessLevel level = t.accessLevel() == null ? AccessLevel.PRIVATE : t.accessLevel();
            if (!level.canRead(session.role())) {
                throw KalamException.permissionDenied("Cannot subscribe to shared table " + t.qualifiedName()
                        + ": access level " + level.wireName() + " does not allow role " + session.role().wireName());
            }
        }
        if (CalciteSql.containsSubquery(s.getWhere())) {
            throw KalamException.invalidSql("Subscription filters cannot contain subqueries");
        }
        List<String> projection = new ArrayList<>();
        List<ColumnInfo> schema = new ArrayList<>();
        for (SqlNode item : s.getSelectList()) {
            if (!(item instanceof SqlIdentifier id)) {
                throw KalamException.invalidSql("Subscription queries select plain columns or * [item=" + item + "]");
            }
            if (id.isStar()) {
                for (ColumnDef c : t.columns()) {
                    addColumn(t, c.name(), projection, schema);
                }
                addColumn(t, TableDef.SEQ, projection, schema);
                addColumn(t, TableDef.DELETED, projection, schema);
            } else {
                String col = id.names.get(id.names.size() - 1);
                if (t.column(col) == null && !TableDef.isSystemColumn(col)) {
                    // the same words as a SELECT over HTTP (QueryRunner names an unknown column this way)
                    throw KalamException.invalidSql("column does not exist [column=" + col + "]");
                }
                addColumn(t, col, projection, schema);
            }
        }
        addColumn(t, TableDef.SEQ, projection, schema);
        // Compiled by Calcite from the whole text, so the filter is exactly the WHERE of the same SELECT.
        RowPredicate filter = s.getWhere() == null ? RowPredicate.all(t)
                : FilterCompiler.compile(t, prepared, session.userId());
        return new Parsed(t, projection, schema, filter);
    }

    private static void addColumn(TableDef t, String name, List<String> projection, List<ColumnInfo> schema) {
        String canonical;
        ColumnInfo info;
        if (name.equalsIgnoreCase(TableDef.SEQ)) {
            canonical = TableDef.SEQ;
            info = new ColumnInfo(canonical, KalamType.BIGINT, List.of());
        } else if (name.equalsIgnoreCase(TableDef.DELETED)) {
            canonical = TableDef.DELETED;
            info = new ColumnInfo(canonical, KalamType.BOOLEAN, List.of());
        } else {
            ColumnDef c = t.column(name);
            canonical = c.name();
            info = new ColumnInfo(canonical, c.type(), c.primaryKey() ? List.of("pk", "nn", "uq")
                    : c.nullable() ? List.of() : List.of("nn"));
        }
        if (!projection.contains(canonical)) {
            projection.add(canonical);
            schema.add(info);
        }
    }

    // ---------- initial data ----------

    private InitialBatch firstBatch(Subscription sub) {
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
    private InitialBatch page(Subscription sub, long after, int size) {
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

    /** Sends a page; after the last one, flushes buffered changes and goes live. Caller holds the lock. */
    private void deliverInitial(Subscription sub, InitialBatch batch) {
        sub.sink().initial(sub, batch);
        if (!batch.hasMore()) {
            releaseSnapshot(sub);
            sub.state = Subscription.State.LIVE;
            while (!sub.buffer.isEmpty()) {
                LiveChange c = sub.buffer.poll();
                if (c.seq() > sub.boundary) {
                    send(sub, c);
                }
            }
        }
    }

    private static void releaseSnapshot(Subscription sub) {
        if (sub.snapshot != null) {
            sub.snapshot.close();
            sub.snapshot = null;
        }
    }

    // ---------- changes ----------

    @Override
    public void onCommitted(List<ChangeEvent> events) {
        if (index.isEmpty()) {
            return;
        }
        try {
            while (!closed && !queue.offer(events, 100, TimeUnit.MILLISECONDS)) {
                LOG.debug("live dispatch queue full; the writer waits for the dispatcher");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void dispatch() {
        while (!closed) {
            try {
                List<ChangeEvent> events = queue.poll(100, TimeUnit.MILLISECONDS);
                if (events == null) {
                    continue;
                }
                for (ChangeEvent e : events) {
                    match(e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("live query dispatch failed", e);
            }
        }
    }

    private void match(ChangeEvent e) {
        Map<String, List<Subscription>> parts = index.get(e.table().id());
        if (parts == null) {
            return;
        }
        List<Subscription> subs = parts.get(e.partition());
        if (subs == null || subs.isEmpty()) {
            return;
        }
        for (Subscription sub : subs) {
            LiveChange change = changeFor(sub, e);
            if (change == null) {
                continue;
            }
            synchronized (sub) {
                switch (sub.state) {
                    case LOADING -> bufferWhileLoading(sub, change);
                    case LIVE -> {
                        if (change.seq() > sub.boundary) {
                            send(sub, change);
                        }
                    }
                    case CLOSED -> { }
                }
            }
        }
    }

    /**
     * Holds a change back until the initial data is out, within bounds: a subscriber that does not page (no
     * {@code next_batch}) while writes go on would otherwise keep every change and its snapshot without limit.
     * Past a bound the subscription ends as lagging, resuming after the last initial row it was sent. Caller
     * holds the lock.
     */
    private void bufferWhileLoading(Subscription sub, LiveChange change) {
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
        unsubscribe(sub);
        sub.sink().lagging(sub, resumeFrom, why);
    }

    private void send(Subscription sub, LiveChange change) {
        sub.changes++;
        sub.lastUpdateMicros = clock.millis() * 1000L;
        sub.sink().change(sub, change);
    }

    /**
     * The change as this subscription sees it: an update that moves a row into the filter is an insert,
     * one that moves it out is a delete (the row left the result), so a client's view stays exact.
     */
    private LiveChange changeFor(Subscription sub, ChangeEvent e) {
        TableDef t = e.table();
        switch (e.type()) {
            case INSERT -> {
                if (!sub.filter().test(t, e.newRow())) {
                    return null;
                }
                return new LiveChange(ChangeEvent.Type.INSERT, List.of(sub.project(t, e.newRow())), null, e.seq());
            }
            case DELETE -> {
                StoredRow old = e.newRow() != null ? e.newRow() : e.oldRow();
                if (!sub.filter().test(t, e.oldRow())) {
                    return null;
                }
                return new LiveChange(ChangeEvent.Type.DELETE, null, List.of(sub.project(t, old)), e.seq());
            }
            default -> {
                RowPredicate filter = sub.filter().forTable(t);
                boolean was = filter.test(e.oldRow());
                boolean is = filter.test(e.newRow());
                if (!was && !is) {
                    return null;
                }
                if (!was) {
                    return new LiveChange(ChangeEvent.Type.INSERT, List.of(sub.project(t, e.newRow())), null,
                            e.seq());
                }
                if (!is) {
                    StoredRow gone = new StoredRow(e.newRow().seq(), e.oldRow().deleted(), e.oldRow().values());
                    return new LiveChange(ChangeEvent.Type.DELETE, null, List.of(sub.project(t, gone)), e.seq());
                }
                Map<String, Object> now = sub.project(t, e.newRow());
                Map<String, Object> before = sub.project(t, e.oldRow());
                String pk = t.primaryKey() == null ? null : t.primaryKey().name();
                Map<String, Object> rows = new java.util.LinkedHashMap<>();
                Map<String, Object> old = new java.util.LinkedHashMap<>();
                for (Map.Entry<String, Object> en : now.entrySet()) {
                    String k = en.getKey();
                    boolean key = k.equals(pk) || k.equals(io.kalamdb.engine.catalog.TableDef.SEQ);
                    if (en.getValue() != null || key) {
                        rows.put(k, en.getValue());
                    }
                    Object prev = before.get(k);
                    boolean changed = !Objects.deepEquals(prev, en.getValue());
                    if (key || (changed && !k.equals(io.kalamdb.engine.catalog.TableDef.DELETED))) {
                        old.put(k, prev);
                    }
                }
                return new LiveChange(ChangeEvent.Type.UPDATE, List.of(rows), List.of(old), e.seq());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        dispatcher.interrupt();
        for (Subscription s : all()) {
            unsubscribe(s);
        }
    }
}
