package io.kalamdb.engine;

import io.kalamdb.engine.config.ConfigKey;
import io.kalamdb.engine.util.Clocks;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The engine's settings. Each key sits with its default and its documentation; {@link #from(Map)} reads the
 * dotted keys of {@code server.toml} (after environment overrides) and fails naming the key of a bad value.
 *
 * <p>{@code clock} is not a key: it is the engine's wall time (TTL cut-offs, retention, claim visibility, lockout,
 * NOW(), the leader time of log entries), the system clock unless a test or an embedder sets one with
 * {@link #withClock}. Elapsed-time measurements (statement deadlines) use {@code System.nanoTime()} instead.
 */
public record EngineConfig(Path dataDir, boolean syncWrites, int defaultQueryLimit, int maxQueryLimit,
                           int maxParameters, int maxParameterSizeBytes, int maxSqlLength, String rootPassword,
                           int bcryptCost, int minPasswordLength, int nodeId, int maxSubscriptionsPerUser,
                           int visibilityTimeoutSecs, int housekeepingIntervalMs, int maxQueuedCommands,
                           int maxQueuedLiveGroups, int maxResultBytes, int maxInitialBufferedChanges,
                           int maxSnapshotAgeMs, int minFreeBytes, Clock clock) {

    public EngineConfig {
        java.util.Objects.requireNonNull(clock, "clock is null");
    }

    public static final ConfigKey<String> DATA_DIR = ConfigKey.string("storage.data_path", "./data",
            "Directory of the RocksDB hot store and the local cold storage (env KALAMDB_DATA_DIR).");
    /**
     * Durable by default: a write is acknowledged only after the write-ahead log is synced (group commit).
     * The reference's default is false; set it to false to trade durability on power loss for latency.
     */
    public static final ConfigKey<Boolean> SYNC_WRITES = ConfigKey.bool("storage.rocksdb.sync_writes", true,
            "Acknowledge writes only after the log is fsynced (group commit). false = OS-buffered log.");
    public static final ConfigKey<Integer> DEFAULT_QUERY_LIMIT = ConfigKey.integer("limits.default_query_limit",
            50, 1, 1_000_000, "Rows returned by a SELECT without LIMIT (the result says truncated: true when cut).");
    public static final ConfigKey<Integer> MAX_QUERY_LIMIT = ConfigKey.integer("limits.max_query_limit", 1000, 1,
            10_000_000, "Most rows any SELECT returns.");
    public static final ConfigKey<Integer> MAX_PARAMETERS = ConfigKey.integer("execution.max_parameters", 50, 0,
            10_000, "Most $n parameters one request may carry.");
    public static final ConfigKey<Integer> MAX_PARAMETER_SIZE = ConfigKey.integer(
            "execution.max_parameter_size_bytes", 524_288, 1, Integer.MAX_VALUE, "Largest single parameter value.");
    public static final ConfigKey<Integer> MAX_SQL_LENGTH = ConfigKey.integer("execution.max_sql_length",
            1_048_576, 1, Integer.MAX_VALUE, "Longest SQL text of one request, in characters.");
    public static final ConfigKey<String> ROOT_PASSWORD = ConfigKey.string("auth.root_password", null,
            "Password of the root user (env KALAMDB_ROOT_PASSWORD); unset = first-run setup required.");
    public static final ConfigKey<Integer> BCRYPT_COST = ConfigKey.integer("auth.bcrypt_cost", 12, 4, 31,
            "bcrypt work factor for stored passwords.");
    public static final ConfigKey<Integer> MIN_PASSWORD_LENGTH = ConfigKey.integer("auth.min_password_length", 8,
            1, 72, "Shortest password CREATE USER accepts.");
    public static final ConfigKey<Integer> NODE_ID = ConfigKey.integer("cluster.node_id", 1, 0, 1023,
            "This node's id; also the worker bits of _seq and SNOWFLAKE_ID() (env KALAMDB_NODE_ID).");

    public static final ConfigKey<Integer> MAX_SUBSCRIPTIONS_PER_USER = ConfigKey.integer(
            "rate_limit.max_subscriptions_per_user", 10, 1, 1_000_000,
            "Live subscriptions one user may hold across all connections.");
    public static final ConfigKey<Integer> VISIBILITY_TIMEOUT = ConfigKey.integer("topics.visibility_timeout_secs",
            60, 1, 86_400, "Seconds a consumed, unacked topic message stays claimed before it is delivered again "
                    + "(env KALAMDB_TOPIC_VISIBILITY_TIMEOUT_SECS).");
    public static final ConfigKey<Integer> HOUSEKEEPING_INTERVAL = ConfigKey.integer(
            "stream.eviction_interval_ms", 1000, 10, 3_600_000,
            "How often STREAM rows past their TTL are evicted and topic retention is applied, in milliseconds.");

    /**
     * Bounds the commands waiting for the single writer so that a burst cannot grow memory without limit; one
     * group commit takes up to 512 of them, so the default holds about twenty groups.
     */
    public static final ConfigKey<Integer> MAX_QUEUED_COMMANDS = ConfigKey.integer(
            "engine.write.max_queued_commands", 10_000, 1, 10_000_000,
            "Writes waiting for the write log; beyond it a write is refused with OVERLOADED (HTTP 503).");

    /**
     * Bounds the committed groups of change events waiting for live-query matching. When it is full the writer
     * waits (back-pressure) instead of dropping changes or growing memory; slow WebSocket clients are bounded
     * separately by {@code websocket.max_pending_frames}.
     */
    public static final ConfigKey<Integer> MAX_QUEUED_LIVE_GROUPS = ConfigKey.integer(
            "engine.live.max_queued_groups", 1024, 1, 1_000_000,
            "Committed groups of change events waiting for live-query matching; when full, writes wait.");

    /**
     * A cap on the memory of one SELECT result, estimated as its JSON size; a result that reaches it is cut and
     * says {@code truncated: true}. 64 MiB lets the default row limits through for rows of up to 64 KiB.
     */
    public static final ConfigKey<Integer> MAX_RESULT_BYTES = ConfigKey.integer("limits.max_result_bytes",
            64 * 1024 * 1024, 1024, Integer.MAX_VALUE, "Largest SELECT result in bytes (estimated as JSON); a larger "
                    + "one is cut and says truncated: true (at least one row is always returned).");
    public static final ConfigKey<Integer> MAX_INITIAL_BUFFERED_CHANGES = ConfigKey.integer(
            "live.max_initial_buffered_changes", 10_000, 1, 10_000_000, "Changes a subscription may hold back while "
                    + "its initial data loads (next_batch pending); past it the subscription ends with "
                    + "SUBSCRIBER_LAGGING and resume_from.");
    /**
     * A loading subscription pins a RocksDB snapshot, which keeps overwritten versions alive while writes go on.
     * The age is checked when a change arrives, so an idle table never ends a slow pager.
     */
    public static final ConfigKey<Integer> MAX_SNAPSHOT_AGE_MS = ConfigKey.integer("live.max_snapshot_age_ms",
            120_000, 100, 86_400_000, "How long a subscription's initial data may stay loading (its snapshot "
                    + "pinned) while changes arrive, in milliseconds; past it: SUBSCRIBER_LAGGING with resume_from.");

    /**
     * Writes stop (STORAGE_FULL, 503, retryable) while the data directory's disk has less free space than this, so
     * that RocksDB keeps room to flush a memtable (32 MiB per key space) and to finish what it started; they resume
     * by themselves once space is freed. 128 MiB is a few memtables plus a large request.
     */
    public static final ConfigKey<Integer> MIN_FREE_BYTES = ConfigKey.integer("storage.min_free_bytes",
            128 * 1024 * 1024, 0, Integer.MAX_VALUE, "Free disk space under which writes are refused with "
                    + "STORAGE_FULL (503, retryable) until space is freed; 0 = only when the disk is full.");

    public static final List<ConfigKey<?>> KEYS = List.of(DATA_DIR, SYNC_WRITES, DEFAULT_QUERY_LIMIT,
            MAX_QUERY_LIMIT, MAX_PARAMETERS, MAX_PARAMETER_SIZE, MAX_SQL_LENGTH, ROOT_PASSWORD, BCRYPT_COST,
            MIN_PASSWORD_LENGTH, NODE_ID, MAX_SUBSCRIPTIONS_PER_USER, VISIBILITY_TIMEOUT, HOUSEKEEPING_INTERVAL,
            MAX_QUEUED_COMMANDS, MAX_QUEUED_LIVE_GROUPS, MAX_RESULT_BYTES, MAX_INITIAL_BUFFERED_CHANGES,
            MAX_SNAPSHOT_AGE_MS, MIN_FREE_BYTES);

    public static EngineConfig from(Map<String, String> values) {
        return new EngineConfig(Path.of(DATA_DIR.read(values)), SYNC_WRITES.read(values),
                DEFAULT_QUERY_LIMIT.read(values), MAX_QUERY_LIMIT.read(values), MAX_PARAMETERS.read(values),
                MAX_PARAMETER_SIZE.read(values), MAX_SQL_LENGTH.read(values), ROOT_PASSWORD.read(values),
                BCRYPT_COST.read(values), MIN_PASSWORD_LENGTH.read(values), NODE_ID.read(values),
                MAX_SUBSCRIPTIONS_PER_USER.read(values), VISIBILITY_TIMEOUT.read(values),
                HOUSEKEEPING_INTERVAL.read(values), MAX_QUEUED_COMMANDS.read(values),
                MAX_QUEUED_LIVE_GROUPS.read(values), MAX_RESULT_BYTES.read(values),
                MAX_INITIAL_BUFFERED_CHANGES.read(values), MAX_SNAPSHOT_AGE_MS.read(values),
                MIN_FREE_BYTES.read(values), Clocks.system());
    }

    /** Defaults with the given data directory (for embedded use and tests). */
    public static EngineConfig defaults(Path dataDir) {
        return from(Map.of(DATA_DIR.key(), dataDir.toString()));
    }

    public EngineConfig withRootPassword(String password) {
        return new EngineConfig(dataDir, syncWrites, defaultQueryLimit, maxQueryLimit, maxParameters,
                maxParameterSizeBytes, maxSqlLength, password, bcryptCost, minPasswordLength, nodeId,
                maxSubscriptionsPerUser, visibilityTimeoutSecs, housekeepingIntervalMs, maxQueuedCommands,
                maxQueuedLiveGroups, maxResultBytes, maxInitialBufferedChanges, maxSnapshotAgeMs, minFreeBytes, clock);
    }

    /** The same settings on another wall clock (a test's settable clock, say). */
    public EngineConfig withClock(Clock newClock) {
        return new EngineConfig(dataDir, syncWrites, defaultQueryLimit, maxQueryLimit, maxParameters,
                maxParameterSizeBytes, maxSqlLength, rootPassword, bcryptCost, minPasswordLength, nodeId,
                maxSubscriptionsPerUser, visibilityTimeoutSecs, housekeepingIntervalMs, maxQueuedCommands,
                maxQueuedLiveGroups, maxResultBytes, maxInitialBufferedChanges, maxSnapshotAgeMs, minFreeBytes,
                newClock);
    }
}
