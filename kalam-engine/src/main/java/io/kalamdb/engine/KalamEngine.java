package io.kalamdb.engine;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.auth.PasswordHasher;
import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.engine.auth.UserService;
import io.kalamdb.engine.auth.impl.LocalUserService;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.NamespaceDef;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.hot.HotPartitionReader;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.hot.RocksHotStore;
import io.kalamdb.engine.hot.Space;
import io.kalamdb.engine.jobs.Housekeeper;
import io.kalamdb.engine.live.LiveQueryRegistry;
import io.kalamdb.engine.live.LiveViews;
import io.kalamdb.engine.sql.DdlExecutor;
import io.kalamdb.engine.sql.DmlPlanner;
import io.kalamdb.engine.sql.FilterCompiler;
import io.kalamdb.engine.sql.QueryRunner;
import io.kalamdb.engine.sql.SqlExecutor;
import io.kalamdb.engine.sql.SystemTables;
import io.kalamdb.engine.sql.TopicExecutor;
import io.kalamdb.engine.sql.TopicViews;
import io.kalamdb.engine.topic.TopicPublisher;
import io.kalamdb.engine.topic.TopicService;
import io.kalamdb.engine.util.Json;
import io.kalamdb.engine.util.SnowflakeGenerator;
import io.kalamdb.engine.write.Applier;
import io.kalamdb.engine.write.CatalogKeys;
import io.kalamdb.engine.write.ChangeEvent;
import io.kalamdb.engine.write.ChangeListener;
import io.kalamdb.engine.write.Command;
import io.kalamdb.engine.write.CommitPipeline;
import io.kalamdb.engine.write.LocalWriteLog;
import io.kalamdb.engine.write.WriteLog;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The embedded database: open it on a data directory, run SQL in a {@link Session}, close it.
 * Thread-safe; {@link #execute} blocks (RocksDB I/O, group commit) and must run off event loops.
 * This class only wires the collaborators together.
 */
public final class KalamEngine implements AutoCloseable {
    private final HotStore store;
    private final Catalog catalog;
    private final WriteLog log;
    private final LocalUserService users;
    private final SqlExecutor sql;
    private final SystemTables systemTables;
    private final LiveQueryRegistry live;
    private final TopicService topics;
    private final Housekeeper housekeeper;
    private final Applier applier;
    private final io.kalamdb.engine.sql.StreamingQueries streaming;
    private final TopicPublisher topicPublisher;
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final java.time.Clock clock;

    private KalamEngine(EngineConfig config, java.util.function.UnaryOperator<HotStore> storeDecorator) {
        this.clock = config.clock();
        this.store = storeDecorator.apply(RocksHotStore.open(config.dataDir(), config.minFreeBytes()));
        this.catalog = loadCatalog(store);
        this.topicPublisher = new TopicPublisher(catalog, store,
                (table, where, partition) -> FilterCompiler.compileOrNone(table,
                        FilterCompiler.routeQuery(table, where), partition)::test);
        this.applier = new Applier(store, catalog, new HotPartitionReader(store), topicPublisher);
        this.live = new LiveQueryRegistry(catalog, applier, config.maxSubscriptionsPerUser(),
                config.maxQueuedLiveGroups(), config.maxInitialBufferedChanges(), config.maxSnapshotAgeMs(),
                config.clock());
        listeners.add(live);
        this.log = new LocalWriteLog(store, applier, new SnowflakeGenerator(config.nodeId(), config.clock()),
                config.syncWrites(),
                new CommitPipeline(this::publish, this::topicsAppended), config.maxQueuedCommands());
        this.topics = new TopicService(catalog, store, log, topicPublisher,
                config.visibilityTimeoutSecs() * 1000L, config.clock());
        PasswordHasher hasher = new PasswordHasher(config.bcryptCost(), config.minPasswordLength());
        this.users = new LocalUserService(catalog, log, hasher, config.clock());
        this.systemTables = new SystemTables(catalog);
        LiveViews.register(systemTables, live, config.nodeId());
        TopicViews.register(systemTables, catalog, store);
        QueryRunner queries = new QueryRunner(catalog, store, systemTables);
        this.streaming = new io.kalamdb.engine.sql.StreamingQueries(catalog, queries);
        this.sql = new SqlExecutor(config, catalog, log, queries, this::killLiveQuery,
                new DmlPlanner(catalog, store, queries), new DdlExecutor(catalog, store, log, hasher, systemTables),
                new TopicExecutor(catalog, log, topics), store);
        if (catalog.namespace("default") == null) {
            log.commit(new Command.PutNamespace(new NamespaceDef("default", config.clock().millis() * 1000L,
                    null), true));
        }
        users.ensureRoot(config.rootPassword());
        this.housekeeper = new Housekeeper(catalog, store, log, config.housekeepingIntervalMs(), config.clock());
        Thread warm = new Thread(topicPublisher::warmFilters, "kalam-route-filter-warmup");
        warm.setDaemon(true);
        warm.start();
    }

    /** KILL LIVE QUERY: ends the live query with this id, if there is one. */
    private boolean killLiveQuery(String liveId) {
        io.kalamdb.engine.live.Subscription target = live.find(liveId);
        if (target == null) {
            return false;
        }
        live.kill(target);
        return true;
    }

    private void topicsAppended(java.util.Set<Long> ids) {
        topicPublisher.markAllDurable();
        if (topics != null) {
            topics.appended(ids);
        }
    }

    /** Topics: consume with claims, ack, wait for new messages. */
    public TopicService topics() {
        return topics;
    }

    /** Runs one pass of TTL eviction and topic retention now. */
    public void housekeep() {
        housekeeper.runOnce();
    }

    public static KalamEngine open(EngineConfig config) {
        requireNonNull(config, "config is null");
        return new KalamEngine(config, java.util.function.UnaryOperator.identity());
    }

    /** Opens the engine over the hot store as {@code storeDecorator} wraps it: tests inject storage faults so. */
    static KalamEngine open(EngineConfig config, java.util.function.UnaryOperator<HotStore> storeDecorator) {
        return new KalamEngine(requireNonNull(config, "config is null"),
                requireNonNull(storeDecorator, "storeDecorator is null"));
    }

    private static Catalog loadCatalog(HotStore store) {
        Catalog catalog = new Catalog();
        try (HotStore.Cursor c = store.scan(Space.META, CatalogKeys.NAMESPACE_PREFIX.getBytes(StandardCharsets.UTF_8),
                false)) {
            while (c.next()) {
                catalog.putNamespace(Json.read(c.value(), NamespaceDef.class));
            }
        }
        try (HotStore.Cursor c = store.scan(Space.META, CatalogKeys.TABLE_PREFIX.getBytes(StandardCharsets.UTF_8),
                false)) {
            while (c.next()) {
                catalog.putTable(Json.read(c.value(), TableDef.class));
            }
        }
        try (HotStore.Cursor c = store.scan(Space.META, CatalogKeys.TOPIC_PREFIX.getBytes(StandardCharsets.UTF_8),
                false)) {
            while (c.next()) {
                catalog.putTopic(Json.read(c.value(), io.kalamdb.engine.catalog.TopicDef.class));
            }
        }
        try (HotStore.Cursor c = store.scan(Space.META, CatalogKeys.USER_PREFIX.getBytes(StandardCharsets.UTF_8),
                false)) {
            while (c.next()) {
                catalog.putUser(Json.read(c.value(), UserRecord.class));
            }
        }
        return catalog;
    }

    /**
     * Runs one request: a batch of {@code ;}-separated statements, parsed and authorised as a whole before
     * any executes, with optional positional parameters ({@code $1 …}) for a single statement.
     *
     * @param defaultNamespace the namespace of unqualified table names (request field {@code namespace_id})
     * @throws io.kalamdb.engine.error.KalamException with a stable code on any failure
     */
    public List<StatementResult> execute(Session session, String sql, List<Object> params, String defaultNamespace) {
        refuseIfStopped();
        return this.sql.execute(session, sql, params, defaultNamespace);
    }

    /**
     * {@link #execute} without waiting on the calling thread for a single write's durability: the future
     * completes (on the write log's thread) when the write is acknowledged. Parsing, authorisation and
     * planning still run on the calling thread. Failures complete the future with a {@code KalamException}.
     */
    public java.util.concurrent.CompletableFuture<List<StatementResult>> executeAsync(Session session, String sql,
                                                                                    List<Object> params,
                                                                                    String defaultNamespace) {
        try {
            refuseIfStopped();
            return this.sql.executeAsync(session, sql, params, defaultNamespace);
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Opens one SELECT as a stream of row batches with no row limit and no byte budget (the scan API), authorised
     * on its plan like any SELECT. Blocking; the stream must be closed (it closes itself after its last row).
     */
    public io.kalamdb.engine.sql.QueryStream openQuery(Session session, String sql, List<Object> params,
                                                      String defaultNamespace) {
        refuseIfStopped();
        return streaming.open(session, sql, params, defaultNamespace);
    }

    /** The engine's wall clock (EngineConfig#clock): what locks, TTLs and claim deadlines are measured by. */
    public java.time.Clock clock() {
        return clock;
    }

    public UserService users() {
        return users;
    }

    /** Whether root still has no password, so that nobody can log in before first-run setup. */
    public boolean needsSetup() {
        return users.needsSetup();
    }

    /** Registers a listener for committed row changes (live queries, topics). */
    public void addChangeListener(ChangeListener listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    /**
     * Registers the one listener told the id of a user whose sessions may have to end (dropped, re-created, new
     * password or role, locked), right after the change is applied, on the writer thread: it must not block.
     */
    public void onUserChanged(java.util.function.Consumer<String> listener) {
        applier.onUserChanged(listener);
    }

    /** Live queries: subscribe, page initial data, unsubscribe. */
    public LiveQueryRegistry live() {
        return live;
    }

    /**
     * Why the engine stopped serving, if it did: the write log could not make writes durable (fail-stop). Every
     * read and write then fails with this error until the server is restarted.
     */
    public java.util.Optional<io.kalamdb.engine.error.KalamException> storageFailure() {
        return log.failure();
    }

    /**
     * Why writes are refused for lack of disk space right now ({@code STORAGE_FULL}), or empty. Unlike
     * {@link #storageFailure()}, reads go on and writes resume by themselves once space is freed.
     */
    public java.util.Optional<io.kalamdb.engine.error.KalamException> diskFull() {
        return store.diskFull();
    }

    /**
     * After a fail-stop nothing is answered, not even from memory: the catalog may hold a namespace, table or user
     * whose creation was applied but never made durable.
     */
    private void refuseIfStopped() {
        java.util.Optional<io.kalamdb.engine.error.KalamException> failure = log.failure();
        if (failure.isPresent()) {
            throw new io.kalamdb.engine.error.KalamException(failure.get().code(), failure.get().getMessage(),
                    failure.get());
        }
    }

    public Catalog catalog() {
        return catalog;
    }

    public SystemTables systemTables() {
        return systemTables;
    }

    private void publish(List<ChangeEvent> events) {
        // the write log publishes after its sync and before acknowledging: topic messages are durable from here
        topicPublisher.markAllDurable();
        for (ChangeListener l : listeners) {
            l.onCommitted(events);
        }
    }

    @Override
    public void close() {
        housekeeper.close();
        live.close();
        log.close();
        store.close();
    }
}
