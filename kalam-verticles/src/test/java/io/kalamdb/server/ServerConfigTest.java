package io.kalamdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.EngineConfig;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.config.ConfigKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
    private static final String[] NO_ARGS = {};

    @TempDir
    Path dir;

    @Test
    void defaults() {
        ServerConfig config = ServerConfig.load(NO_ARGS, Map.of());
        assertEquals("127.0.0.1", config.host());
        assertEquals(8080, config.port());
        assertEquals(32, config.engineWorkers());
        assertEquals(ServerConfig.DEV_JWT_SECRET, config.jwtSecret());
        assertEquals(24, config.jwtExpiryHours());
        assertEquals(60, config.jwtLeewaySecs());
        assertEquals("info", config.logLevel());
        assertEquals(10_485_760, config.maxRequestBodySize());
        assertEquals(1_048_576, config.maxWsMessageSize());
        assertEquals(3, config.wsAuthTimeoutSecs());
        assertEquals(10, config.wsClientTimeoutSecs());
        assertEquals(5, config.wsHeartbeatIntervalSecs());
        assertEquals(1000, config.wsMaxPendingFrames());
        for (Role role : Role.values()) {
            assertEquals(30_000, config.statementTimeoutMs(role), role.name());
        }
        assertEquals(100, config.maxQueriesPerSec());
        assertEquals(16, config.maxStatementsInFlightPerUser(), "half of the 32 engine workers");
        assertEquals(Path.of("./data"), config.dataDir());
        assertNull(config.engineConfig().rootPassword());
        assertEquals(10_000, config.engineConfig().maxQueuedCommands());
        assertEquals(1024, config.engineConfig().maxQueuedLiveGroups());
        assertNull(config.source());
        assertTrue(config.isLoopbackHost());
        assertTrue(config.values().isEmpty());
    }

    @Test
    void fileSetsEveryServerKeyAndPassesEngineKeysOn() throws IOException {
        Path file = write("""
                [server]
                host = "127.0.0.2"
                port = 18080
                engine_workers = 4
                grpc_port = 19090

                [storage]
                data_path = "/var/lib/kalam"

                [storage.rocksdb]
                sync_writes = false

                [limits]
                default_query_limit = 10
                max_query_limit = 100

                [execution]
                max_parameters = 5
                max_parameter_size_bytes = 1000
                max_sql_length = 2000
                statement_timeout_ms = 5000

                [execution.statement_timeout_ms_by_role]
                user = 1000
                service = 0
                dba = -1
                system = 60000

                [rate_limit]
                max_queries_per_sec = 7
                max_statements_in_flight_per_user = 3

                [auth]
                root_password = "RootPass123"
                jwt_secret = "a-file-secret"
                jwt_expiry_hours = 2
                jwt_leeway_secs = 5
                bcrypt_cost = 4
                min_password_length = 6

                [security]
                max_request_body_size = 1024
                max_ws_message_size = 4096

                [websocket]
                auth_timeout_secs = 4
                client_timeout_secs = 20
                heartbeat_interval_secs = 2
                max_pending_frames = 64

                [logging]
                level = "DEBUG"

                [topics]
                visibility_timeout_secs = 5

                [engine.write]
                max_queued_commands = 32

                [engine.live]
                max_queued_groups = 3

                [cluster]
                node_id = 7
                """);
        ServerConfig config = ServerConfig.load(new String[] {file.toString()}, Map.of());

        for (ConfigKey<?> key : ServerConfig.KEYS) {
            assertTrue(config.values().containsKey(key.key()), "the file sets " + key.key());
        }
        assertEquals("127.0.0.2", config.host());
        assertEquals(18080, config.port());
        assertEquals(19090, config.grpcPort());
        assertEquals(4, config.engineWorkers());
        assertEquals("a-file-secret", config.jwtSecret());
        assertEquals(2, config.jwtExpiryHours());
        assertEquals(5, config.jwtLeewaySecs());
        assertEquals("debug", config.logLevel());
        assertEquals(1024, config.maxRequestBodySize());
        assertEquals(4096, config.maxWsMessageSize());
        assertEquals(4, config.wsAuthTimeoutSecs());
        assertEquals(20, config.wsClientTimeoutSecs());
        assertEquals(2, config.wsHeartbeatIntervalSecs());
        assertEquals(64, config.wsMaxPendingFrames());
        assertEquals(1000, config.statementTimeoutMs(Role.USER));
        assertEquals(0, config.statementTimeoutMs(Role.SERVICE));
        assertEquals(5000, config.statementTimeoutMs(Role.DBA), "-1 inherits execution.statement_timeout_ms");
        assertEquals(60_000, config.statementTimeoutMs(Role.SYSTEM));
        assertEquals(7, config.maxQueriesPerSec());
        assertEquals(3, config.maxStatementsInFlightPerUser());
        assertEquals("5", config.values().get("topics.visibility_timeout_secs"));
        assertEquals(file, config.source());
        EngineConfig engine = config.engineConfig();
        assertEquals(Path.of("/var/lib/kalam"), engine.dataDir());
        assertFalse(engine.syncWrites());
        assertEquals(10, engine.defaultQueryLimit());
        assertEquals(100, engine.maxQueryLimit());
        assertEquals(5, engine.maxParameters());
        assertEquals(1000, engine.maxParameterSizeBytes());
        assertEquals(2000, engine.maxSqlLength());
        assertEquals("RootPass123", engine.rootPassword());
        assertEquals(4, engine.bcryptCost());
        assertEquals(6, engine.minPasswordLength());
        assertEquals(7, engine.nodeId());
        assertEquals(32, engine.maxQueuedCommands());
        assertEquals(3, engine.maxQueuedLiveGroups());
    }

    @Test
    void environmentOverridesTheFile() throws IOException {
        Path file = write("""
                [server]
                host = "127.0.0.2"
                port = 18080
                [auth]
                jwt_secret = "file-secret"
                """);
        Map<String, String> env = new HashMap<>();
        env.put("KALAMDB_SERVER_HOST", "0.0.0.0");
        env.put("KALAMDB_SERVER_PORT", "0");
        env.put("KALAMDB_GRPC_PORT", "19191");
        env.put("KALAMDB_DATA_DIR", "/tmp/kalam-env");
        env.put("KALAMDB_ROOT_PASSWORD", "EnvRoot123");
        env.put("KALAMDB_JWT_SECRET", "0123456789abcdef0123456789abcdef-env");
        env.put("KALAMDB_JWT_EXPIRY_HOURS", "3");
        env.put("KALAMDB_LOG_LEVEL", "warn");
        env.put("KALAMDB_NODE_ID", "9");
        env.put("KALAMDB_TOPIC_VISIBILITY_TIMEOUT_SECS", "11");
        env.put("KALAMDB_BCRYPT_COST", "5");
        env.put("KALAMDB_SYNC_WRITES", "false");
        env.put("KALAMDB_WEBSOCKET_AUTH_TIMEOUT_SECS", "7");
        env.put("KALAMDB_WEBSOCKET_CLIENT_TIMEOUT_SECS", "30");
        env.put("KALAMDB_WEBSOCKET_HEARTBEAT_INTERVAL_SECS", "9");
        env.put("UNRELATED", "ignored");
        Set<String> variables = new TreeSet<>(env.keySet());
        variables.remove("UNRELATED");
        assertEquals(new TreeSet<>(ServerConfig.ENV_KEYS.keySet()), variables, "the test sets every variable");

        ServerConfig config = ServerConfig.load(new String[] {"--config", file.toString()}, env);

        assertEquals("0.0.0.0", config.host());
        assertEquals(0, config.port());
        assertEquals(19191, config.grpcPort());
        assertEquals(Path.of("/tmp/kalam-env"), config.dataDir());
        assertEquals("EnvRoot123", config.engineConfig().rootPassword());
        assertEquals("0123456789abcdef0123456789abcdef-env", config.jwtSecret());
        assertEquals(3, config.jwtExpiryHours());
        assertEquals("warn", config.logLevel());
        assertEquals(9, config.engineConfig().nodeId());
        assertEquals("11", config.values().get("topics.visibility_timeout_secs"));
        assertEquals(5, config.engineConfig().bcryptCost());
        assertFalse(config.engineConfig().syncWrites());
        assertEquals(7, config.wsAuthTimeoutSecs());
        assertEquals(30, config.wsClientTimeoutSecs());
        assertEquals(9, config.wsHeartbeatIntervalSecs());
        assertFalse(config.isLoopbackHost());
    }

    @Test
    void unknownKeyInFileFailsNamingIt() throws IOException {
        Path file = write("[server]\nprot = 8080\n");
        StartupException e = assertThrows(StartupException.class,
                () -> ServerConfig.load(new String[] {file.toString()}, Map.of()));
        assertTrue(e.getMessage().contains("unknown configuration key [key=server.prot"), e.getMessage());
    }

    /** Issue #8: a key under a section of the reference whose feature is not built is refused, naming both. */
    @Test
    void keysUnderSectionsOfFeaturesNotBuiltStopStartupSayingSo() throws IOException {
        Map<String, String> files = Map.of(
                "cluster.rpc_addr", "[cluster]\nrpc_addr = \"127.0.0.1:9188\"\n",
                "rpc_tls.enabled", "[rpc_tls]\nenabled = true\n",
                "flight.tls.enabled", "[flight.tls]\nenabled = true\n",
                "flush.default_row_limit", "[flush]\ndefault_row_limit = 10000\n",
                "manifest_cache.max_entries", "[manifest_cache]\nmax_entries = 500\n",
                "storage.remote_timeouts.request_timeout_secs",
                "[storage.remote_timeouts]\nrequest_timeout_secs = 60\n",
                "oauth.providers.google.enabled", "[oauth.providers.google]\nenabled = true\n",
                "files.max_size_bytes", "[files]\nmax_size_bytes = 26214400\n");
        Set<String> sections = new TreeSet<>();
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path file = write(e.getValue());
            StartupException refused = assertThrows(StartupException.class,
                    () -> ServerConfig.load(new String[] {file.toString()}, Map.of()), e.getKey());
            String section = ServerConfig.NOT_BUILT_SECTIONS.keySet().stream().filter(e.getKey()::startsWith)
                    .findFirst().orElseThrow();
            sections.add(section);
            assertEquals("configuration key of a feature that is not built yet [key=" + e.getKey() + ", file="
                    + file.toAbsolutePath() + "]: " + ServerConfig.NOT_BUILT_SECTIONS.get(section)
                    + " does not exist in this version; remove the setting", refused.getMessage());
            assertEquals(1, refused.getMessage().lines().count(), "one line");
            assertThrows(StartupException.class, () -> ServerConfig.of(Map.of(e.getKey(), "1")), e.getKey());
        }
        assertEquals(ServerConfig.NOT_BUILT_SECTIONS.keySet(), sections, "every refused section is tried");
        assertEquals(3, ServerConfig.load(new String[] {write("[cluster]\nnode_id = 3\n").toString()}, Map.of())
                .engineConfig().nodeId(), "a known key under a refused section works");
        StartupException unknown = assertThrows(StartupException.class,
                () -> ServerConfig.load(new String[] {write("[storage]\nshared_tables_template = \"x\"\n")
                        .toString()}, Map.of()));
        assertTrue(unknown.getMessage().startsWith("unknown configuration key [key=storage.shared_tables_template"),
                unknown.getMessage());
    }

    /** Issue #8: a set KALAMDB_* variable that is not a setting is refused instead of ignored. */
    @Test
    void unknownKalamdbVariablesStopStartupNamingThem() {
        StartupException typo = assertThrows(StartupException.class,
                () -> ServerConfig.load(NO_ARGS, Map.of("KALAMDB_SERVER_PROT", "8081")));
        assertEquals("unknown environment variable [variable=KALAMDB_SERVER_PROT]: not a setting of this server "
                + "(README's configuration section lists the variables); unset it", typo.getMessage());
        for (String variable : List.of("KALAMDB_CLUSTER_RPC_ADDR", "KALAMDB_RPC_TLS_ENABLED",
                "KALAMDB_OTLP_ENDPOINT")) {
            StartupException refused = assertThrows(StartupException.class,
                    () -> ServerConfig.load(NO_ARGS, Map.of(variable, "x")), variable);
            assertTrue(refused.getMessage().startsWith("environment variable of a feature that is not built yet "
                    + "[variable=" + variable + "]: "), refused.getMessage());
            assertTrue(refused.getMessage().endsWith(" does not exist in this version; unset it"),
                    refused.getMessage());
        }
        Map<String, String> harmless = Map.of("KALAMDB_JAVA_OPTS", "-Xmx1g", "KALAMDB_ALLOW_REMOTE_SETUP", " ",
                "PATH", "/usr/bin", "KALAMDB_SERVER_PORT", "8099");
        assertEquals(8099, ServerConfig.load(NO_ARGS, harmless).port(),
                "launcher variables, empty variables and other programs' variables are no error");
    }

    /** README's configuration table lists exactly the keys there are, each with its variable and default. */
    @Test
    void readmeDocumentsEveryKeyAndNoOther() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("## Configuration");
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        Map<String, String> documentedEnv = new HashMap<>();
        Map<String, String> documentedDefaults = new HashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z_.]+)(?:\\{([a-z,]+)})?` \\| (?:`(KALAMDB_[A-Z_]+)`)? ?\\| "
                + "([^|]+) \\|").matcher(section);
        while (row.find()) {
            List<String> keys = row.group(2) == null ? List.of(row.group(1))
                    : Stream.of(row.group(2).split(",")).map(suffix -> row.group(1) + suffix).toList();
            for (String key : keys) {
                documentedDefaults.put(key, row.group(4).trim());
                if (row.group(3) != null) {
                    documentedEnv.put(row.group(3), key);
                }
            }
        }
        assertEquals(new TreeSet<>(ServerConfig.knownKeys()), new TreeSet<>(documentedDefaults.keySet()),
                "README's configuration table and the keys the server reads");
        assertEquals(ServerConfig.ENV_KEYS, documentedEnv, "README's variables and the ones the server reads");
        for (ConfigKey<?> key : Stream.concat(ServerConfig.KEYS.stream(), EngineConfig.KEYS.stream()).toList()) {
            String documented = documentedDefaults.get(key.key());
            if (documented.startsWith("`")) {
                assertEquals("`" + key.defaultValue() + "`", documented, key.key());
            }
        }
    }

    /** Issue #10: the gRPC port is a key (9090 as PROTOCOL.md says), 0 when HTTP's port is 0 and it is unset. */
    @Test
    void grpcPortIsAKeyAndAVariable() throws IOException {
        assertEquals(9090, ServerConfig.GRPC_PORT.defaultValue());
        assertEquals(9090, ServerConfig.load(NO_ARGS, Map.of()).grpcPort());
        assertEquals(9191, ServerConfig.load(NO_ARGS, Map.of("KALAMDB_GRPC_PORT", "9191")).grpcPort());
        Path file = write("[server]\ngrpc_port = 9292\n");
        assertEquals(9292, ServerConfig.load(new String[] {file.toString()}, Map.of()).grpcPort());
        assertEquals(9393, ServerConfig.load(new String[] {file.toString()}, Map.of("KALAMDB_GRPC_PORT", "9393"))
                .grpcPort(), "the variable overrides the file");
        assertEquals(0, ServerConfig.of(Map.of("server.port", "0")).grpcPort(), "a free HTTP port: a free gRPC port");
        assertEquals(9090, ServerConfig.of(Map.of("server.port", "0", "server.grpc_port", "9090")).grpcPort());
        assertEquals(0, ServerConfig.of(Map.of("server.grpc_port", "0")).grpcPort());
        StartupException range = assertThrows(StartupException.class,
                () -> ServerConfig.load(NO_ARGS, Map.of("KALAMDB_GRPC_PORT", "70000")));
        assertTrue(range.getMessage().contains("[key=server.grpc_port, value=70000]"), range.getMessage());
        assertTrue(range.getMessage().contains("KALAMDB_GRPC_PORT"), range.getMessage());
        assertFalse(ServerConfig.NOT_BUILT_KEYS.containsKey("server.grpc_port"));
    }

    /** Issue #9 (and #8): keys of Flight and cluster mode are refused until those features exist. */
    @Test
    void keysOfFeaturesNotBuiltYetStopStartupSayingSo() throws IOException {
        Map<String, String> files = Map.of(
                "flight.port", "[flight]\nport = 8815\n",
                "cluster.raft_port", "[cluster]\nraft_port = 9188\n",
                "cluster.peers", "[cluster]\npeers = \"1@a:9188\"\n");
        assertEquals(ServerConfig.NOT_BUILT_KEYS.keySet(), files.keySet(), "every refused key is tried");
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path file = write(e.getValue());
            StartupException refused = assertThrows(StartupException.class,
                    () -> ServerConfig.load(new String[] {file.toString()}, Map.of()), e.getKey());
            assertTrue(refused.getMessage().startsWith("configuration key of a feature that is not built yet [key="
                    + e.getKey() + ", file="), refused.getMessage());
            assertTrue(refused.getMessage().endsWith(" does not exist in this version; remove the setting"),
                    refused.getMessage());
            assertThrows(StartupException.class, () -> ServerConfig.of(Map.of(e.getKey(), "1")), e.getKey());
        }
        assertEquals(new TreeSet<>(ServerConfig.NOT_BUILT_KEYS.keySet()),
                new TreeSet<>(ServerConfig.NOT_BUILT_ENV.values()));
        for (Map.Entry<String, String> e : ServerConfig.NOT_BUILT_ENV.entrySet()) {
            StartupException refused = assertThrows(StartupException.class,
                    () -> ServerConfig.load(NO_ARGS, Map.of(e.getKey(), "9999")), e.getKey());
            assertEquals("configuration key of a feature that is not built yet [key=" + e.getValue() + ", env="
                    + e.getKey() + "]: " + ServerConfig.NOT_BUILT_KEYS.get(e.getValue())
                    + " does not exist in this version; remove the setting", refused.getMessage());
            assertFalse(ServerConfig.ENV_KEYS.containsKey(e.getKey()));
            // an empty variable (compose files often pass them through) sets nothing and is no error
            assertEquals(8080, ServerConfig.load(NO_ARGS, Map.of(e.getKey(), "")).port());
        }
        assertEquals(7, ServerConfig.of(Map.of("cluster.node_id", "7")).engineConfig().nodeId(),
                "cluster.node_id works on one node (the worker bits of _seq) and stays");
        assertEquals(9, ServerConfig.load(NO_ARGS, Map.of("KALAMDB_NODE_ID", "9")).engineConfig().nodeId());
    }

    @Test
    void unknownKeyInMapFailsNamingIt() {
        StartupException e = assertThrows(StartupException.class,
                () -> ServerConfig.of(Map.of("storage.data_dir", "/x")));
        assertTrue(e.getMessage().contains("[key=storage.data_dir"), e.getMessage());
    }

    @Test
    void badValueFailsNamingKeyAndSource() throws IOException {
        StartupException fromEnv = assertThrows(StartupException.class,
                () -> ServerConfig.load(NO_ARGS, Map.of("KALAMDB_SERVER_PORT", "abc")));
        assertTrue(fromEnv.getMessage().contains("[key=server.port, value=abc]"), fromEnv.getMessage());
        assertTrue(fromEnv.getMessage().contains("KALAMDB_SERVER_PORT"), fromEnv.getMessage());

        Path file = write("[storage.rocksdb]\nsync_writes = \"sometimes\"\n");
        StartupException engineKey = assertThrows(StartupException.class,
                () -> ServerConfig.load(new String[] {file.toString()}, Map.of()));
        assertTrue(engineKey.getMessage().contains("[key=storage.rocksdb.sync_writes"), engineKey.getMessage());

        StartupException level = assertThrows(StartupException.class,
                () -> ServerConfig.load(NO_ARGS, Map.of("KALAMDB_LOG_LEVEL", "loud")));
        assertTrue(level.getMessage().contains("[key=logging.level, value=loud]"), level.getMessage());

        StartupException range = assertThrows(StartupException.class,
                () -> ServerConfig.of(Map.of("server.port", "70000")));
        assertTrue(range.getMessage().contains("[key=server.port"), range.getMessage());
    }

    @Test
    void insecureJwtSecretOnNonLoopbackHostRefusesToStart() {
        StartupException defaultSecret = assertThrows(StartupException.class,
                () -> ServerConfig.load(NO_ARGS, Map.of("KALAMDB_SERVER_HOST", "0.0.0.0")));
        assertTrue(defaultSecret.getMessage().contains("auth.jwt_secret"), defaultSecret.getMessage());
        assertThrows(StartupException.class, () -> ServerConfig.load(NO_ARGS,
                Map.of("KALAMDB_SERVER_HOST", "0.0.0.0", "KALAMDB_JWT_SECRET", "too-short")));

        ServerConfig loopback = ServerConfig.load(NO_ARGS, Map.of("KALAMDB_JWT_SECRET", "short"));
        assertEquals("short", loopback.jwtSecret());
        ServerConfig remote = ServerConfig.load(NO_ARGS, Map.of("KALAMDB_SERVER_HOST", "0.0.0.0",
                "KALAMDB_JWT_SECRET", "x".repeat(32)));
        assertEquals("0.0.0.0", remote.host());
    }

    @Test
    void commandLine() throws IOException {
        Path file = write("[server]\nport = 1234\n");
        assertEquals(1234, ServerConfig.load(new String[] {"--config=" + file}, Map.of()).port());
        StartupException unknown = assertThrows(StartupException.class,
                () -> ServerConfig.load(new String[] {"--verbose"}, Map.of()));
        assertTrue(unknown.getMessage().contains("[arg=--verbose]"), unknown.getMessage());
        assertThrows(StartupException.class, () -> ServerConfig.load(new String[] {"--config"}, Map.of()));
        StartupException missing = assertThrows(StartupException.class,
                () -> ServerConfig.load(new String[] {dir.resolve("absent.toml").toString()}, Map.of()));
        assertTrue(missing.getMessage().contains("absent.toml"), missing.getMessage());
        Path broken = write("[server\n");
        StartupException syntax = assertThrows(StartupException.class,
                () -> ServerConfig.load(new String[] {broken.toString()}, Map.of()));
        assertTrue(syntax.getMessage().contains(broken.toString()), syntax.getMessage());
    }

    @Test
    void describeMasksSecrets() {
        ServerConfig config = ServerConfig.load(NO_ARGS, Map.of("KALAMDB_ROOT_PASSWORD", "TopSecret1",
                "KALAMDB_JWT_SECRET", "another-secret"));
        String described = config.describe();
        assertFalse(described.contains("TopSecret1"), described);
        assertFalse(described.contains("another-secret"), described);
        assertTrue(described.contains("auth.root_password=***"), described);
        assertTrue(described.contains("server.port=8080"), described);
    }

    @Test
    void exampleFileLoadsAndDocumentsEveryKey() throws IOException {
        Path example = Path.of("..", "server.toml.example");
        ServerConfig config = ServerConfig.load(new String[] {example.toString()}, Map.of());
        assertEquals(8080, config.port());
        // every known key appears, set or commented out, under its table
        String text = Files.readString(example);
        Set<String> documented = new TreeSet<>();
        String table = "";
        Matcher line = Pattern.compile("(?m)^\\s*(?:#\\s*)?(\\[[a-z_.]+]|[a-z_]+)\\s*(=|$)").matcher(text);
        while (line.find()) {
            String token = line.group(1);
            if (token.startsWith("[")) {
                table = token.substring(1, token.length() - 1);
            } else if (line.group(2).equals("=")) {
                documented.add(table.isEmpty() ? token : table + "." + token);
            }
        }
        Set<String> known = new TreeSet<>();
        for (ConfigKey<?> key : ServerConfig.KEYS) {
            known.add(key.key());
        }
        EngineConfig.KEYS.forEach(key -> known.add(key.key()));
        assertEquals(known, documented);
    }

    private Path write(String toml) throws IOException {
        Path file = Files.createTempFile(dir, "server", ".toml");
        Files.writeString(file, toml);
        return file;
    }
}
