package io.kalamdb.server;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.EngineConfig;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.config.ConfigKey;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The server's settings: an optional {@code server.toml} flattened to dotted keys, then the {@code KALAMDB_*}
 * environment overrides; unknown keys and bad values fail start-up with a message naming the key.
 *
 * <p>The known keys are the server's ({@link #KEYS}) plus the engine's ({@link EngineConfig#KEYS}); the engine
 * part is parsed here too, so that every bad value is reported before anything opens.
 */
public final class ServerConfig {
    /**
     * The JWT secret used when none is configured. Good enough on a loopback bind (only local clients can
     * reach the server); on any other bind the server refuses to start with it.
     */
    public static final String DEV_JWT_SECRET = "kalamdb-dev-only-jwt-secret-change-me-in-production";

    public static final ConfigKey<String> HOST = ConfigKey.string("server.host", "127.0.0.1",
            "Interface the HTTP server binds (env KALAMDB_SERVER_HOST); 0.0.0.0 = all interfaces.");
    public static final ConfigKey<Integer> PORT = ConfigKey.integer("server.port", 8080, 0, 65535,
            "HTTP, WebSocket and Admin UI port (env KALAMDB_SERVER_PORT); 0 = pick a free port.");
    /**
     * 9090 as PROTOCOL.md fixes it. Unset while {@code server.port} is 0 it is 0 too: a server asked for a free
     * HTTP port (tests, embedded servers) must not fail because another one already holds 9090.
     */
    public static final ConfigKey<Integer> GRPC_PORT = ConfigKey.integer("server.grpc_port", 9090, 0, 65535,
            "gRPC API port (env KALAMDB_GRPC_PORT), on the same host as HTTP; 0 = pick a free port (the default "
                    + "when server.port is 0 and this key is not set).");
    /**
     * 32 by default although the machine may have 2 cores: engine calls mostly wait (group commit, fsync,
     * RocksDB reads), so more concurrent statements than cores keep the write log's batches full.
     */
    public static final ConfigKey<Integer> ENGINE_WORKERS = ConfigKey.integer("server.engine_workers", 32, 1, 1024,
            "Number of engine worker threads (the KalamService pool): statements run concurrently.");
    public static final ConfigKey<String> JWT_SECRET = ConfigKey.string("auth.jwt_secret", DEV_JWT_SECRET,
            "HS256 secret of access and refresh tokens (env KALAMDB_JWT_SECRET); at least 32 characters and not "
                    + "the default when server.host is not loopback.");
    public static final ConfigKey<Integer> JWT_EXPIRY_HOURS = ConfigKey.integer("auth.jwt_expiry_hours", 24, 1,
            87_600, "Lifetime of an access token in hours (env KALAMDB_JWT_EXPIRY_HOURS); refresh tokens live 7x.");
    /**
     * 60 s as in the reference: tokens of other cluster nodes survive that much clock skew. It also decides when
     * an authenticated WebSocket ends: at its token's {@code exp} plus this leeway.
     */
    public static final ConfigKey<Integer> JWT_LEEWAY_SECS = ConfigKey.integer("auth.jwt_leeway_secs", 60, 0, 3600,
            "Clock-skew leeway in seconds of the exp, nbf and iat checks of tokens; a WebSocket ends this long after "
                    + "its token's exp unless the client re-authenticates.");
    public static final ConfigKey<String> LOG_LEVEL = ConfigKey.string("logging.level", "info",
            "Log level: trace, debug, info, warn, error or off (env KALAMDB_LOG_LEVEL).");
    public static final ConfigKey<Integer> MAX_REQUEST_BODY_SIZE = ConfigKey.integer(
            "security.max_request_body_size", 10_485_760, 1, Integer.MAX_VALUE,
            "Largest accepted HTTP request body in bytes; larger bodies get 413 BODY_TOO_LARGE.");
    /**
     * Keys of features that are not built yet (Arrow Flight, cluster mode), with the feature each belongs to.
     * Setting one stops start-up with a message saying so, rather than being accepted and doing nothing; the issue
     * that builds a feature turns its keys into ordinary keys. {@code cluster.node_id} is not among them: it sets
     * the worker bits of {@code _seq} and works on a single node.
     */
    public static final Map<String, String> NOT_BUILT_KEYS = envKeys(
            "flight.port", "Arrow Flight",
            "cluster.raft_port", "cluster mode",
            "cluster.peers", "cluster mode");
    /**
     * Sections of the reference's {@code server.toml} whose features are not built yet, with the feature: any key
     * under one (a file copied from the reference, say) is refused as {@link #NOT_BUILT_KEYS} are, unless it is a
     * known key ({@code cluster.node_id}).
     */
    public static final Map<String, String> NOT_BUILT_SECTIONS = envKeys(
            "cluster.", "cluster mode",
            "rpc_tls.", "cluster mode (TLS of the cluster's RPC)",
            "flight.", "Arrow Flight",
            "flush.", "the cold tier (Parquet flush)",
            "manifest_cache.", "the cold tier (Parquet flush)",
            "storage.remote_timeouts.", "remote storage (S3, GCS, Azure)",
            "oauth.", "OAuth / OpenID Connect login",
            "files.", "file uploads");
    /**
     * Environment variables that are not settings but belong to the launcher ({@code bin/kalamdb-server}); every
     * other {@code KALAMDB_*} variable must be one of {@link #ENV_KEYS}, or start-up stops naming it.
     */
    public static final Set<String> LAUNCHER_ENV = Set.of("KALAMDB_JAVA_OPTS");
    /** Prefixes of the reference's variables of features not built yet, with the feature. */
    public static final Map<String, String> NOT_BUILT_ENV_PREFIXES = envKeys(
            "KALAMDB_CLUSTER_", "cluster mode",
            "KALAMDB_RPC_TLS_", "cluster mode (TLS of the cluster's RPC)",
            "KALAMDB_OTLP_", "OpenTelemetry export");
    /** The environment variables of {@link #NOT_BUILT_KEYS}. */
    public static final Map<String, String> NOT_BUILT_ENV = envKeys(
            "KALAMDB_FLIGHT_PORT", "flight.port",
            "KALAMDB_RAFT_PORT", "cluster.raft_port",
            "KALAMDB_CLUSTER_PEERS", "cluster.peers");
    public static final ConfigKey<Integer> WS_AUTH_TIMEOUT_SECS = ConfigKey.integer("websocket.auth_timeout_secs", 3,
            1, 3600, "Seconds a WebSocket may stay unauthenticated before auth_error and close 1008 "
                    + "(env KALAMDB_WEBSOCKET_AUTH_TIMEOUT_SECS).");
    public static final ConfigKey<Integer> WS_CLIENT_TIMEOUT_SECS = ConfigKey.integer("websocket.client_timeout_secs",
            10, 1, 86_400, "Seconds without any frame from a WebSocket client before it is closed with 1000 "
                    + "\"Heartbeat timeout\" (env KALAMDB_WEBSOCKET_CLIENT_TIMEOUT_SECS).");
    public static final ConfigKey<Integer> WS_HEARTBEAT_INTERVAL_SECS = ConfigKey.integer(
            "websocket.heartbeat_interval_secs", 5, 1, 3600, "How often idle WebSocket connections are looked for, "
                    + "in seconds (env KALAMDB_WEBSOCKET_HEARTBEAT_INTERVAL_SECS).");
    /**
     * 1,000 frames: far above what a client that keeps up ever has queued (the reference's channel holds 128),
     * small enough that a stalled client costs a bounded amount of memory before it is told to resume.
     */
    public static final ConfigKey<Integer> WS_MAX_PENDING_FRAMES = ConfigKey.integer("websocket.max_pending_frames",
            1000, 1, 1_000_000, "Outbound frames a WebSocket client may leave undrained; past it (or past 4x as many "
                    + "in flight inside the server) the subscription adding more gets SUBSCRIBER_LAGGING with "
                    + "resume_from and ends (the client resubscribes).");
    public static final ConfigKey<Integer> MAX_WS_MESSAGE_SIZE = ConfigKey.integer("security.max_ws_message_size",
            1_048_576, 1, 268_435_456, "Largest accepted WebSocket message from a client in bytes; larger ones get "
                    + "the error MESSAGE_TOO_LARGE.");

    /**
     * 30 s, the reference's {@code execution.handler_timeout_seconds}: far above any interactive statement, short
     * enough that a runaway query gives its engine worker back. Checked in table scans and DML planning.
     */
    public static final ConfigKey<Integer> STATEMENT_TIMEOUT_MS = ConfigKey.integer("execution.statement_timeout_ms",
            30_000, 0, 86_400_000, "Longest a SQL request may run in the engine, in milliseconds, before it fails "
                    + "with 408 STATEMENT_TIMEOUT; 0 = no limit. The per-role keys below override it.");
    public static final ConfigKey<Integer> USER_STATEMENT_TIMEOUT_MS = roleTimeout("user");
    public static final ConfigKey<Integer> SERVICE_STATEMENT_TIMEOUT_MS = roleTimeout("service");
    public static final ConfigKey<Integer> DBA_STATEMENT_TIMEOUT_MS = roleTimeout("dba");
    public static final ConfigKey<Integer> SYSTEM_STATEMENT_TIMEOUT_MS = roleTimeout("system");
    /** Reference 6.4: 100 queries per second and user (a burst of one second's worth is allowed). */
    public static final ConfigKey<Integer> MAX_QUERIES_PER_SEC = ConfigKey.integer("rate_limit.max_queries_per_sec",
            100, 0, 1_000_000, "SQL requests per second one user may send; more get 429 RATE_LIMIT_EXCEEDED with "
                    + "Retry-After; 0 = no limit.");
    /**
     * -1 = half of {@code server.engine_workers} (at least 1): whatever one user sends, the other half of the
     * workers stays free for everyone else.
     */
    public static final ConfigKey<Integer> MAX_STATEMENTS_IN_FLIGHT_PER_USER = ConfigKey.integer(
            "rate_limit.max_statements_in_flight_per_user", -1, -1, 1_000_000, "SQL requests one user may have "
                    + "running at once; more get 429 RATE_LIMIT_EXCEEDED; -1 = half of server.engine_workers, "
                    + "0 = no limit.");

    /** The server's own keys; {@link #knownKeys()} adds the engine's. */
    public static final List<ConfigKey<?>> KEYS = List.of(HOST, PORT, GRPC_PORT, ENGINE_WORKERS, JWT_SECRET, JWT_EXPIRY_HOURS,
            LOG_LEVEL, MAX_REQUEST_BODY_SIZE, WS_AUTH_TIMEOUT_SECS,
            WS_CLIENT_TIMEOUT_SECS, WS_HEARTBEAT_INTERVAL_SECS, WS_MAX_PENDING_FRAMES, MAX_WS_MESSAGE_SIZE,
            JWT_LEEWAY_SECS, STATEMENT_TIMEOUT_MS, USER_STATEMENT_TIMEOUT_MS, SERVICE_STATEMENT_TIMEOUT_MS,
            DBA_STATEMENT_TIMEOUT_MS, SYSTEM_STATEMENT_TIMEOUT_MS, MAX_QUERIES_PER_SEC,
            MAX_STATEMENTS_IN_FLIGHT_PER_USER);

    /** Environment variables and the keys they override, applied after the file. */
    public static final Map<String, String> ENV_KEYS = envKeys(
            "KALAMDB_SERVER_HOST", HOST.key(),
            "KALAMDB_SERVER_PORT", PORT.key(),
            "KALAMDB_GRPC_PORT", GRPC_PORT.key(),
            "KALAMDB_DATA_DIR", EngineConfig.DATA_DIR.key(),
            "KALAMDB_ROOT_PASSWORD", EngineConfig.ROOT_PASSWORD.key(),
            "KALAMDB_JWT_SECRET", JWT_SECRET.key(),
            "KALAMDB_JWT_EXPIRY_HOURS", JWT_EXPIRY_HOURS.key(),
            "KALAMDB_LOG_LEVEL", LOG_LEVEL.key(),
            "KALAMDB_NODE_ID", EngineConfig.NODE_ID.key(),
            "KALAMDB_TOPIC_VISIBILITY_TIMEOUT_SECS", "topics.visibility_timeout_secs", // an engine key
            "KALAMDB_BCRYPT_COST", EngineConfig.BCRYPT_COST.key(),
            "KALAMDB_SYNC_WRITES", EngineConfig.SYNC_WRITES.key(),
            "KALAMDB_WEBSOCKET_AUTH_TIMEOUT_SECS", WS_AUTH_TIMEOUT_SECS.key(),
            "KALAMDB_WEBSOCKET_CLIENT_TIMEOUT_SECS", WS_CLIENT_TIMEOUT_SECS.key(),
            "KALAMDB_WEBSOCKET_HEARTBEAT_INTERVAL_SECS", WS_HEARTBEAT_INTERVAL_SECS.key());

    private static final Set<String> SECRET_KEYS = Set.of(JWT_SECRET.key(), EngineConfig.ROOT_PASSWORD.key());
    private static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");
    private static final Set<String> KNOWN_INSECURE_SECRETS = Set.of(DEV_JWT_SECRET, "CHANGE_ME_IN_PRODUCTION");
    private static final int MIN_REMOTE_SECRET_LENGTH = 32;

    private final Map<String, String> values;
    private final Path source;
    private final String host;
    private final int port;
    private final int grpcPort;
    private final int engineWorkers;
    private final String jwtSecret;
    private final int jwtExpiryHours;
    private final int jwtLeewaySecs;
    private final String logLevel;
    private final int maxRequestBodySize;
    private final int wsAuthTimeoutSecs;
    private final int wsClientTimeoutSecs;
    private final int wsHeartbeatIntervalSecs;
    private final int wsMaxPendingFrames;
    private final int maxWsMessageSize;
    private final Map<Role, Integer> statementTimeoutsMs;
    private final int maxQueriesPerSec;
    private final int maxStatementsInFlightPerUser;
    private final EngineConfig engineConfig;

    private ServerConfig(Map<String, String> values, Path source, Map<String, String> origins) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        this.source = source;
        this.host = read(HOST, origins).trim();
        this.port = read(PORT, origins);
        this.grpcPort = port == 0 && !values.containsKey(GRPC_PORT.key()) ? 0 : read(GRPC_PORT, origins);
        this.engineWorkers = read(ENGINE_WORKERS, origins);
        this.jwtSecret = read(JWT_SECRET, origins);
        this.jwtExpiryHours = read(JWT_EXPIRY_HOURS, origins);
        this.jwtLeewaySecs = read(JWT_LEEWAY_SECS, origins);
        this.logLevel = read(LOG_LEVEL, origins).trim().toLowerCase(Locale.ROOT);
        this.maxRequestBodySize = read(MAX_REQUEST_BODY_SIZE, origins);
        this.wsAuthTimeoutSecs = read(WS_AUTH_TIMEOUT_SECS, origins);
        this.wsClientTimeoutSecs = read(WS_CLIENT_TIMEOUT_SECS, origins);
        this.wsHeartbeatIntervalSecs = read(WS_HEARTBEAT_INTERVAL_SECS, origins);
        this.wsMaxPendingFrames = read(WS_MAX_PENDING_FRAMES, origins);
        this.maxWsMessageSize = read(MAX_WS_MESSAGE_SIZE, origins);
        int statementTimeoutMs = read(STATEMENT_TIMEOUT_MS, origins);
        Map<Role, Integer> timeouts = new EnumMap<>(Role.class);
        timeouts.put(Role.USER, orDefault(read(USER_STATEMENT_TIMEOUT_MS, origins), statementTimeoutMs));
        timeouts.put(Role.SERVICE, orDefault(read(SERVICE_STATEMENT_TIMEOUT_MS, origins), statementTimeoutMs));
        timeouts.put(Role.DBA, orDefault(read(DBA_STATEMENT_TIMEOUT_MS, origins), statementTimeoutMs));
        timeouts.put(Role.SYSTEM, orDefault(read(SYSTEM_STATEMENT_TIMEOUT_MS, origins), statementTimeoutMs));
        this.statementTimeoutsMs = Collections.unmodifiableMap(timeouts);
        this.maxQueriesPerSec = read(MAX_QUERIES_PER_SEC, origins);
        int inFlight = read(MAX_STATEMENTS_IN_FLIGHT_PER_USER, origins);
        this.maxStatementsInFlightPerUser = inFlight < 0 ? Math.max(1, engineWorkers / 2) : inFlight;
        try {
            this.engineConfig = EngineConfig.from(this.values);
        } catch (IllegalArgumentException e) {
            throw new StartupException(withOrigin(e.getMessage(), origins));
        }
        if (host.isEmpty()) {
            throw new StartupException("invalid configuration value [key=" + HOST.key() + ", value=]: expected a "
                    + "host name or IP address" + originOf(HOST.key(), origins));
        }
        if (!LOG_LEVELS.contains(logLevel)) {
            throw new StartupException("invalid configuration value [key=" + LOG_LEVEL.key() + ", value="
                    + values.get(LOG_LEVEL.key()) + "]: expected one of trace, debug, info, warn, error, off"
                    + originOf(LOG_LEVEL.key(), origins));
        }
        checkJwtSecret(origins);
    }

    /**
     * Reads the configuration of a server process.
     *
     * @param args the command line: nothing, a {@code server.toml} path, or {@code --config PATH}
     * @param env  the environment ({@code System.getenv()}); only the {@link #ENV_KEYS} variables are read
     * @throws StartupException naming the argument, path or key at fault
     */
    public static ServerConfig load(String[] args, Map<String, String> env) {
        requireNonNull(args, "args is null");
        requireNonNull(env, "env is null");
        Path file = ServerArgs.configFile(args);
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> origins = new HashMap<>();
        if (file != null) {
            Map<String, String> fromFile = TomlFlattener.read(file);
            checkKnown(fromFile.keySet(), "file=" + file.toAbsolutePath());
            values.putAll(fromFile);
            fromFile.keySet().forEach(k -> origins.put(k, "file " + file.toAbsolutePath()));
        }
        NOT_BUILT_ENV.forEach((variable, key) -> {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                throw notBuilt(key, "env=" + variable);
            }
        });
        checkKnownEnv(env);
        ENV_KEYS.forEach((variable, key) -> {
            String value = env.get(variable);
            if (value != null) {
                values.put(key, value);
                origins.put(key, "env " + variable);
            }
        });
        return new ServerConfig(values, file, origins);
    }

    /** A configuration from dotted keys (embedded servers and tests); unknown keys fail as in a file. */
    public static ServerConfig of(Map<String, String> values) {
        requireNonNull(values, "values is null");
        checkKnown(values.keySet(), "source=map");
        return new ServerConfig(values, null, Map.of());
    }

    /** Every key a configuration may set: the server's and the engine's. */
    public static Set<String> knownKeys() {
        return Stream.concat(KEYS.stream(), EngineConfig.KEYS.stream()).map(ConfigKey::key)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The settings as given (file, then environment), by dotted key; what {@link EngineConfig#from} reads. */
    public Map<String, String> values() {
        return values;
    }

    /** The configuration file read, or null when there was none. */
    public Path source() {
        return source;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The gRPC API's port; 0 = a free one. */
    public int grpcPort() {
        return grpcPort;
    }

    public int engineWorkers() {
        return engineWorkers;
    }

    public String jwtSecret() {
        return jwtSecret;
    }

    public int jwtExpiryHours() {
        return jwtExpiryHours;
    }

    public int jwtLeewaySecs() {
        return jwtLeewaySecs;
    }

    public String logLevel() {
        return logLevel;
    }

    public int maxRequestBodySize() {
        return maxRequestBodySize;
    }

    public int wsAuthTimeoutSecs() {
        return wsAuthTimeoutSecs;
    }

    public int wsClientTimeoutSecs() {
        return wsClientTimeoutSecs;
    }

    public int wsHeartbeatIntervalSecs() {
        return wsHeartbeatIntervalSecs;
    }

    public int wsMaxPendingFrames() {
        return wsMaxPendingFrames;
    }

    public int maxWsMessageSize() {
        return maxWsMessageSize;
    }

    /** The statement timeout of a role in milliseconds (0 = none), per-role keys applied. */
    public int statementTimeoutMs(Role role) {
        return statementTimeoutsMs.get(requireNonNull(role, "role is null"));
    }

    public int maxQueriesPerSec() {
        return maxQueriesPerSec;
    }

    /** Statements one user may have running at once (0 = no limit), the -1 default resolved. */
    public int maxStatementsInFlightPerUser() {
        return maxStatementsInFlightPerUser;
    }

    public Path dataDir() {
        return engineConfig.dataDir();
    }

    public EngineConfig engineConfig() {
        return engineConfig;
    }

    /** Whether {@link #host()} accepts only local connections. */
    public boolean isLoopbackHost() {
        return isLoopback(host);
    }

    /** Every known key with the value in effect (defaults included), secrets masked: for the start-up log. */
    public String describe() {
        Map<String, Object> effective = new TreeMap<>();
        for (ConfigKey<?> key : Stream.concat(KEYS.stream(), EngineConfig.KEYS.stream()).toList()) {
            Object value = values.containsKey(key.key()) ? values.get(key.key()) : key.defaultValue();
            if (SECRET_KEYS.contains(key.key()) && value != null) {
                value = "***";
            }
            effective.put(key.key(), value);
        }
        String from = source == null ? "defaults and environment" : source.toAbsolutePath().toString();
        return effective.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", "[source=" + from + "] {", "}"));
    }

    private static void checkKnown(Set<String> keys, String where) {
        Set<String> known = knownKeys();
        for (String key : keys) {
            if (notBuiltFeature(key) != null) {
                throw notBuilt(key, where);
            }
            if (!known.contains(key)) {
                throw new StartupException("unknown configuration key [key=" + key + ", " + where + "]");
            }
        }
    }

    /**
     * Refuses a set {@code KALAMDB_*} variable that is not a setting: a typo or a variable of the reference that
     * this server does not read would otherwise be ignored without a word. Empty variables set nothing (compose files
     * often pass them through) and are no error.
     */
    private static void checkKnownEnv(Map<String, String> env) {
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String variable = e.getKey();
            if (!variable.startsWith("KALAMDB_") || e.getValue() == null || e.getValue().isBlank()
                    || ENV_KEYS.containsKey(variable) || LAUNCHER_ENV.contains(variable)) {
                continue;
            }
            for (Map.Entry<String, String> prefix : NOT_BUILT_ENV_PREFIXES.entrySet()) {
                if (variable.startsWith(prefix.getKey())) {
                    throw new StartupException("environment variable of a feature that is not built yet [variable="
                            + variable + "]: " + prefix.getValue() + " does not exist in this version; unset it");
                }
            }
            throw new StartupException("unknown environment variable [variable=" + variable + "]: not a setting of "
                    + "this server (README's configuration section lists the variables); unset it");
        }
    }

    /** The feature a key belongs to if that feature is not built yet, else null. */
    static String notBuiltFeature(String key) {
        String feature = NOT_BUILT_KEYS.get(key);
        if (feature != null || knownKeys().contains(key)) {
            return feature;
        }
        for (Map.Entry<String, String> section : NOT_BUILT_SECTIONS.entrySet()) {
            if (key.startsWith(section.getKey())) {
                return section.getValue();
            }
        }
        return null;
    }

    private static StartupException notBuilt(String key, String where) {
        return new StartupException("configuration key of a feature that is not built yet [key=" + key + ", " + where
                + "]: " + notBuiltFeature(key) + " does not exist in this version; remove the setting");
    }

    private <T> T read(ConfigKey<T> key, Map<String, String> origins) {
        try {
            return key.read(values);
        } catch (IllegalArgumentException e) {
            throw new StartupException(e.getMessage() + originOf(key.key(), origins));
        }
    }

    private void checkJwtSecret(Map<String, String> origins) {
        if (jwtSecret.isEmpty()) {
            throw new StartupException("invalid configuration value [key=" + JWT_SECRET.key() + "]: the JWT secret "
                    + "must not be empty" + originOf(JWT_SECRET.key(), origins));
        }
        boolean insecure = jwtSecret.length() < MIN_REMOTE_SECRET_LENGTH || KNOWN_INSECURE_SECRETS.contains(jwtSecret);
        if (insecure && !isLoopback(host)) {
            throw new StartupException("refusing to start: " + JWT_SECRET.key() + " is the default or shorter than "
                    + MIN_REMOTE_SECRET_LENGTH + " characters while server.host is not loopback [host=" + host
                    + "]; set KALAMDB_JWT_SECRET to a random secret of at least " + MIN_REMOTE_SECRET_LENGTH
                    + " characters");
        }
    }

    private static String withOrigin(String message, Map<String, String> origins) {
        for (Map.Entry<String, String> e : origins.entrySet()) {
            if (message.contains("[key=" + e.getKey() + ",") || message.contains("[key=" + e.getKey() + "]")) {
                return message + " (from " + e.getValue() + ")";
            }
        }
        return message;
    }

    private static String originOf(String key, Map<String, String> origins) {
        String origin = origins.get(key);
        return origin == null ? "" : " (from " + origin + ")";
    }

    static boolean isLoopback(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1") || h.startsWith("127.");
    }

    private static ConfigKey<Integer> roleTimeout(String role) {
        return ConfigKey.integer("execution.statement_timeout_ms_by_role." + role, -1, -1, 86_400_000,
                "Statement timeout of role " + role + " in milliseconds; -1 = execution.statement_timeout_ms, "
                        + "0 = no limit.");
    }

    private static int orDefault(int value, int fallback) {
        return value < 0 ? fallback : value;
    }

    private static Map<String, String> envKeys(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
