package io.kalamdb.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.server.Futures;
import io.kalamdb.server.KalamServer;
import io.kalamdb.server.ServerConfig;
import io.kalamdb.server.error.ErrorMapper;
import io.kalamdb.server.it.ApiClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gRPC API as a third-party client sees it: the real server (HTTP and gRPC on port 0, real RocksDB) driven
 * by {@code @grpc/grpc-js} + {@code @grpc/proto-loader} under Node, from nothing but {@code kalam.proto}
 * ({@code src/test/node/grpc-client.mjs}, whose JSON output is checked here). The npm packages are installed into
 * {@code target/node} on the first run (npm's own cache makes later installs quick).
 */
class GrpcApiIT {
    private static final String ROOT_PASSWORD = "RootPass123!";
    private static final String ALICE_PASSWORD = "AlicePass123!";
    private static final String BOB_PASSWORD = "BobPass123!";
    private static final String WORKER_PASSWORD = "WorkerPass123!";
    private static final int BIG_ROWS = 3000;
    /** 27 billion joined rows: minutes of work, so only a cancellation ends it in time. */
    private static final String HEAVY = "SELECT COUNT(*) FROM chat.big a, chat.big b, chat.big c "
            + "WHERE a.v + b.v + c.v >= 0";
    private static final Path NODE_DIR = Path.of("target", "node");
    private static final Path PROTO = Path.of("..", "kalam-proto", "src", "main", "proto", "kalamdb", "v1",
            "kalam.proto");
    /** Bad statements run over HTTP and gRPC by alice: each must fail with the same code and message on both. */
    private static final Map<String, String> BAD_STATEMENTS = new LinkedHashMap<>();

    static {
        BAD_STATEMENTS.put("syntax", "SELEC 1");
        BAD_STATEMENTS.put("missingTable", "SELECT * FROM chat.nope");
        BAD_STATEMENTS.put("missingColumn", "SELECT nope FROM chat.messages");
        BAD_STATEMENTS.put("ddlOfAUser", "CREATE NAMESPACE chat");
        BAD_STATEMENTS.put("notAllowed", "CREATE USER 'mallory' WITH PASSWORD 'MalloryPass123!' ROLE dba");
        BAD_STATEMENTS.put("empty", "   ");
    }

    private static KalamServer server;
    private static ApiClient api;
    private static JsonObject out;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> values = new HashMap<>();
        values.put("server.port", "0");
        values.put("server.grpc_port", "0");
        values.put("server.engine_workers", "4");
        values.put("storage.data_path", Files.createTempDirectory("kalam-grpc").toString());
        values.put("auth.root_password", ROOT_PASSWORD);
        values.put("auth.bcrypt_cost", "4");
        values.put("rate_limit.max_queries_per_sec", "0");
        // one statement in flight per user, none timing out for a service: only a cancellation frees worker's slot
        values.put("rate_limit.max_statements_in_flight_per_user", "1");
        values.put("execution.statement_timeout_ms_by_role.service", "0");
        server = Futures.await(KalamServer.start(ServerConfig.of(values)));
        api = new ApiClient(server.baseUrl());
        String root = api.login("root", ROOT_PASSWORD);
        api.ok(root, "CREATE NAMESPACE chat");
        api.ok(root, "CREATE TABLE chat.messages (id BIGINT DEFAULT SNOWFLAKE_ID(), thread_id TEXT, role TEXT, "
                + "content TEXT, created_at TIMESTAMP) WITH (TYPE='USER')");
        api.ok(root, "CREATE USER 'alice' WITH PASSWORD '" + ALICE_PASSWORD + "' ROLE user");
        api.ok(root, "CREATE USER 'bob' WITH PASSWORD '" + BOB_PASSWORD + "' ROLE user");
        api.ok(root, "CREATE USER 'worker' WITH PASSWORD '" + WORKER_PASSWORD + "' ROLE service");
        api.ok(root, "CREATE TABLE chat.big (id INT PRIMARY KEY, v INT) WITH (TYPE='SHARED', ACCESS_LEVEL='public')");
        for (int from = 0; from < BIG_ROWS; from += 500) {
            StringBuilder insert = new StringBuilder("INSERT INTO chat.big (id, v) VALUES ");
            for (int i = from; i < from + 500; i++) {
                insert.append(i == from ? "" : ", ").append('(').append(i).append(", ").append(i % 7).append(')');
            }
            api.ok(root, insert.toString());
        }
        api.ok(root, "CREATE TOPIC chat.grpc_events; ALTER TOPIC chat.grpc_events ADD SOURCE chat.messages ON INSERT "
                + "WITH (payload = 'full')");
        out = runNodeClient();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void reflectionListsTheService() {
        JsonArray services = out.getJsonArray("services");
        assertTrue(services.contains("kalamdb.v1.KalamService"), services.encode());
    }

    @Test
    void loginGivesATokenTheOtherCallsAccept() {
        JsonObject login = out.getJsonObject("login");
        assertEquals(true, login.getBoolean("ok"), login.encode());
        assertEquals("user", login.getString("role"));
        assertEquals(true, login.getBoolean("token"));
        assertEquals("alice", out.getJsonObject("insert").getString("as_user"), "the token is alice's");
    }

    @Test
    void insertAndSelectWithParametersEncodeValuesAsJsonDoes() {
        JsonObject insert = out.getJsonObject("insert");
        assertEquals("1", insert.getString("row_count"), insert.encode());
        assertEquals("Inserted 1 row(s)", insert.getString("message"));

        JsonObject select = out.getJsonObject("aliceSelect");
        assertEquals("1", select.getString("row_count"), select.encode());
        assertEquals(List.of("id", "thread_id", "content", "created_at"),
                select.getJsonArray("schema").stream().map(c -> ((JsonObject) c).getString("name")).toList());
        assertEquals("BigInt", select.getJsonArray("schema").getJsonObject(0).getString("data_type"));
        JsonArray row = select.getJsonArray("rows").getJsonArray(0);
        assertInstanceOf(String.class, row.getValue(0), "BIGINT is a string, as in JSON: " + row.encode());
        assertEquals("t42", row.getString(1));
        assertEquals("hello from grpc", row.getString(2));
        assertTrue(row.getLong(3) > 1_600_000_000_000_000L, "TIMESTAMP is microseconds: " + row.encode());

        // the same row over HTTP has the same values
        String alice = api.login("alice", ALICE_PASSWORD);
        JsonArray httpRow = api.ok(alice, "SELECT id, thread_id, content, created_at FROM chat.messages "
                + "WHERE thread_id = $1", "t42").result(0).getJsonArray("rows").getJsonArray(0);
        assertEquals(httpRow.getString(0), row.getString(0));
        assertEquals(httpRow.getLong(3), row.getLong(3));
    }

    @Test
    void bobNeverSeesAlicesRows() {
        JsonObject bob = out.getJsonObject("bobSelect");
        assertEquals("1", bob.getString("row_count"), bob.encode());
        assertEquals("bob says hi", bob.getJsonArray("rows").getJsonArray(0).getString(2));
        assertEquals("bob", bob.getString("as_user"));
        JsonObject alice = out.getJsonObject("aliceSelect");
        assertEquals("hello from grpc", alice.getJsonArray("rows").getJsonArray(0).getString(2));
        assertNotEquals(bob.getJsonArray("rows").getJsonArray(0).getString(0),
                alice.getJsonArray("rows").getJsonArray(0).getString(0));
    }

    @Test
    void aBadStatementFailsWithTheSameCodeAndMessageAsOverHttp() {
        String alice = api.login("alice", ALICE_PASSWORD);
        JsonObject errors = out.getJsonObject("errors");
        for (Map.Entry<String, String> bad : BAD_STATEMENTS.entrySet()) {
            ApiClient.Reply http = api.sql(alice, bad.getValue());
            String code = http.errorCode();
            assertNotNull(code, bad.getKey() + " fails over HTTP: " + http.body());
            JsonObject grpc = errors.getJsonObject(bad.getKey());
            assertEquals(false, grpc.getBoolean("ok"), bad.getKey() + ": " + grpc.encode());
            assertEquals(code, grpc.getString("trailer"), bad.getKey() + ": " + grpc.encode());
            assertEquals(ErrorMapper.grpcStatus(KalamErrorCode.valueOf(code)).name(), grpc.getString("code"),
                    bad.getKey() + ": " + grpc.encode());
            assertEquals(http.json().getJsonObject("error").getString("message"), grpc.getString("message"),
                    bad.getKey());
        }
        assertEquals("INVALID_SQL", errors.getJsonObject("syntax").getString("trailer"));
        assertEquals("NOT_FOUND", errors.getJsonObject("missingTable").getString("code"));
        assertEquals("PERMISSION_DENIED", errors.getJsonObject("ddlOfAUser").getString("code"));
        assertEquals("PERMISSION_DENIED", errors.getJsonObject("notAllowed").getString("code"));
    }

    @Test
    void aMissingOrBadTokenIsUnauthenticated() {
        for (String name : List.of("noToken", "badToken", "notBearer", "wrongPassword")) {
            JsonObject reply = out.getJsonObject(name);
            assertEquals(false, reply.getBoolean("ok"), name + ": " + reply.encode());
            assertEquals("UNAUTHENTICATED", reply.getString("code"), name + ": " + reply.encode());
        }
        assertEquals("MISSING_AUTHORIZATION", out.getJsonObject("noToken").getString("trailer"));
        assertEquals("INVALID_CREDENTIALS", out.getJsonObject("wrongPassword").getString("trailer"));
        assertEquals("Invalid credentials", out.getJsonObject("wrongPassword").getString("message"));
    }

    @Test
    void aServiceUserConsumesAndAcksTheInsertsWhileAUserMayNot() {
        JsonObject consumed = out.getJsonObject("consumed");
        assertEquals(true, consumed.getBoolean("ok"), consumed.encode());
        JsonArray messages = out.getJsonArray("consumedMessages");
        assertEquals(2, messages.size(), "alice's and bob's inserts: " + messages.encode());
        List<String> payloads = messages.stream().map(m -> new String(java.util.Base64.getDecoder()
                .decode(((JsonObject) m).getString("payload")), StandardCharsets.UTF_8)).toList();
        assertTrue(payloads.stream().anyMatch(p -> p.contains("hello from grpc")), payloads.toString());
        assertTrue(payloads.stream().anyMatch(p -> p.contains("bob says hi")), payloads.toString());
        for (Object m : messages) {
            assertEquals("chat.grpc_events", ((JsonObject) m).getString("topic_id"));
            assertEquals("Insert", ((JsonObject) m).getString("op"));
        }
        JsonObject acked = out.getJsonObject("acked");
        assertEquals(true, acked.getBoolean("ok"), acked.encode());
        assertEquals(true, acked.getJsonObject("out").getBoolean("success"));
        JsonObject again = out.getJsonObject("consumedAgain");
        assertEquals(true, again.getBoolean("ok"), again.encode());
        assertEquals(0, again.getJsonObject("out").getJsonArray("messages").size(), "acked: " + again.encode());

        JsonObject user = out.getJsonObject("userConsume");
        assertEquals("PERMISSION_DENIED", user.getString("code"), user.encode());
        assertEquals("PERMISSION_DENIED", user.getString("trailer"));
        JsonObject missing = out.getJsonObject("missingTopic");
        assertEquals("NOT_FOUND", missing.getString("code"), missing.encode());
        assertNotNull(missing.getString("trailer"));
    }

    @Test
    void aCallPastItsDeadlineCancelsItsStatement() {
        JsonObject heavy = out.getJsonObject("heavy");
        assertEquals("DEADLINE_EXCEEDED", heavy.getString("code"), heavy.encode());
        assertTrue(heavy.getLong("ms") < 10_000, "the call ended at its deadline: " + heavy.encode());
        // the statement holds worker's only slot until the engine stops it; it has no time limit of its own
        assertEquals(true, out.getBoolean("freed"), "the statement was not cancelled: " + out.getValue("lastRefusal")
                + " after " + out.getValue("refusedWhileRunning") + " tries");
    }

    /** Installs the npm clients once, runs the script against the server and parses what it printed. */
    private static JsonObject runNodeClient() throws IOException, InterruptedException {
        Path modules = NODE_DIR.resolve("node_modules");
        if (!Files.isDirectory(modules.resolve("grpc-reflection-js"))
                || !Files.isDirectory(modules.resolve("@grpc").resolve("proto-loader"))) {
            Files.createDirectories(NODE_DIR);
            run(List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", NODE_DIR.toString(),
                    "@grpc/grpc-js@1", "@grpc/proto-loader@0.7", "grpc-reflection-js@0.3"), Map.of(), 240,
                    NODE_DIR.resolve("npm-install.log"));
        }
        // ESM resolves packages from the script's own directory, so the script runs from target/node
        Path script = NODE_DIR.resolve("grpc-client.mjs");
        Files.copy(Path.of("src", "test", "node", "grpc-client.mjs"), script, StandardCopyOption.REPLACE_EXISTING);
        Path output = NODE_DIR.resolve("grpc-client.out");
        String node = Files.isExecutable(Path.of("/usr/bin/node")) ? "/usr/bin/node" : "node";
        run(List.of(node, script.toString(), PROTO.toAbsolutePath().normalize().toString(),
                        "127.0.0.1:" + server.grpcPort(), ALICE_PASSWORD, BOB_PASSWORD, WORKER_PASSWORD),
                Map.of("KALAM_BAD_STATEMENTS", new JsonObject(new HashMap<>(BAD_STATEMENTS)).encode(),
                        "KALAM_HEAVY_SQL", HEAVY), 120, output);
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        String last = printed.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("the Node client printed no JSON:\n" + printed));
        return new JsonObject(last);
    }

    private static void run(List<String> command, Map<String, String> env, long timeoutSeconds, Path log)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command.get(0) + " did not finish within " + timeoutSeconds + " s; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited with " + process.exitValue() + ":\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
    }
}
