package io.kalamdb.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.server.Futures;
import io.kalamdb.server.KalamServer;
import io.kalamdb.server.ServerConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue #7: a seeded SQL fuzzer against the real server. It mutates a corpus of valid statements (tokens
 * deleted, duplicated, swapped, replaced by odd numbers, placeholders, quotes, unicode and control characters,
 * long identifiers), adds parameters of every JSON type, sends thousands of them over a few connections, and
 * asserts that every answer is a well-formed JSON success or error below 500 whose message carries no Java
 * exception text; then that the server is still healthy. {@code -Dfuzz.seed=} replays a run, {@code
 * -Dfuzz.count=} sets its size; the seed is printed.
 */
class SqlFuzzIT {
    /** What a client must never see: Java class names, exception names, stack frames. */
    static final Pattern JAVA_LEAK = Pattern.compile(
            "java\\.|javax\\.|org\\.apache|io\\.kalamdb|io\\.vertx|Exception|\\tat |NullPointer|ClassCast"
                    + "|NumberFormat|IndexOutOfBounds|IllegalState|IllegalArgument|UnsupportedOperation"
                    + "|StackOverflow|OutOfMemory|AssertionError");
    private static final int CONNECTIONS = 4;

    private static KalamServer server;
    private static ApiClient api;
    private static List<String> tokens;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> values = new HashMap<>(SqlApiIT.config(Files.createTempDirectory("kalam-fuzz")).values());
        values.put("rate_limit.max_queries_per_sec", "0"); // the fuzzer is not about the rate limit
        server = Futures.await(KalamServer.start(ServerConfig.of(values)));
        api = new ApiClient(server.baseUrl());
        String root = api.login("root", SqlApiIT.ROOT_PASSWORD);
        api.ok(root, "CREATE NAMESPACE fz");
        api.ok(root, "CREATE TABLE fz.messages (id BIGINT DEFAULT SNOWFLAKE_ID(), thread_id TEXT, role TEXT, "
                + "content TEXT, n INT, score DOUBLE, created_at TIMESTAMP) WITH (TYPE='USER')");
        api.ok(root, "CREATE TABLE fz.plans (id TEXT PRIMARY KEY, price INT, meta JSON) "
                + "WITH (TYPE='SHARED', ACCESS_LEVEL='public')");
        api.ok(root, "CREATE TABLE fz.events (id BIGINT PRIMARY KEY, kind TEXT) WITH (TYPE='STREAM', "
                + "TTL_SECONDS=60)");
        api.ok(root, "CREATE TOPIC fz.changes PARTITIONS 2");
        api.ok(root, "ALTER TOPIC fz.changes ADD SOURCE fz.messages ON INSERT WITH (payload = 'full')");
        api.ok(root, "CREATE USER 'fuzzy' WITH PASSWORD 'FuzzyPass123!' ROLE user");
        api.ok(root, "CREATE USER 'fuzzbot' WITH PASSWORD 'FuzzbotPass123!' ROLE service");
        api.ok(root, "INSERT INTO fz.plans (id, price, meta) VALUES ('basic', 10, '{\"a\":1}'), ('pro', 30, '[]')");
        // no statement of the corpus names this table: it must read the same after the run
        api.ok(root, "CREATE TABLE fz.sentinel (id INT PRIMARY KEY, v TEXT) WITH (TYPE='SHARED')");
        api.ok(root, "INSERT INTO fz.sentinel (id, v) VALUES (1, 'intact')");
        String fuzzy = api.login("fuzzy", "FuzzyPass123!");
        String bot = api.login("fuzzbot", "FuzzbotPass123!");
        for (int i = 0; i < 20; i++) {
            api.ok(fuzzy, "INSERT INTO fz.messages (thread_id, role, content, n, score, created_at) VALUES ($1, "
                    + "'user', $2, $3, 1.5, NOW())", "t" + (i % 3), "hello " + i, i);
        }
        tokens = List.of(root, fuzzy, bot);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static final List<String> CORPUS = List.of(
            "SELECT * FROM fz.messages",
            "SELECT id, content FROM fz.messages WHERE thread_id = 't1' ORDER BY id DESC LIMIT 20",
            "SELECT id, content FROM fz.messages WHERE thread_id = $1 ORDER BY id DESC LIMIT 20 OFFSET 5",
            "SELECT thread_id, COUNT(*) AS c, MAX(n), AVG(score) FROM fz.messages GROUP BY thread_id HAVING COUNT(*) > 1",
            "SELECT m.content, p.price FROM fz.messages m JOIN fz.plans p ON m.role = p.id LIMIT 10",
            "SELECT m.id FROM fz.messages m LEFT JOIN fz.plans p ON CAST(m.n AS TEXT) = p.id WHERE p.id IS NULL",
            "SELECT * FROM fz.plans WHERE price BETWEEN 5 AND 50 ORDER BY price LIMIT 1 OFFSET 1",
            "SELECT id FROM fz.messages WHERE n IN (SELECT price FROM fz.plans) AND content LIKE 'hel%'",
            "WITH t AS (SELECT thread_id, n FROM fz.messages) SELECT thread_id, SUM(n) FROM t GROUP BY thread_id",
            "SELECT CASE WHEN n > 3 THEN 'big' ELSE 'small' END, UPPER(content) || '!' FROM fz.messages",
            "SELECT COUNT(*) FROM fz.messages a, fz.plans b",
            "SELECT 1 + 2, 'x', NULL, TRUE, 1.5e3",
            "SELECT $1, $2",
            "SELECT CURRENT_USER(), NOW()",
            "SELECT * FROM system.users",
            "SELECT * FROM system.tables WHERE namespace_id = 'fz'",
            "SELECT _seq, _deleted FROM fz.messages WHERE _deleted = false",
            "SELECT id FROM fz.messages ORDER BY created_at DESC, id LIMIT 3",
            "EXPLAIN SELECT * FROM fz.messages WHERE id = 1",
            "INSERT INTO fz.messages (thread_id, role, content, n) VALUES ('t9', 'user', 'hi', 3)",
            "INSERT INTO fz.messages (thread_id, content, n, score) VALUES ($1, $2, $3, $4)",
            "INSERT INTO fz.messages (thread_id, role) VALUES ('a', 'b'), ('c', 'd'), ('e', 'f')",
            "INSERT INTO fz.plans (id, price, meta) VALUES ('p' || 'x', 5, '{\"k\":[1,2]}')",
            "INSERT INTO fz.events (id, kind) VALUES (1, 'typing')",
            "INSERT INTO fz.messages (thread_id, content) SELECT thread_id, content FROM fz.messages LIMIT 2",
            "UPDATE fz.messages SET content = 'edited', n = n + 1 WHERE thread_id = 't2'",
            "UPDATE fz.messages SET score = $1 WHERE id = $2",
            "UPDATE fz.plans SET price = price * 2 WHERE id = 'basic'",
            "DELETE FROM fz.messages WHERE n > 15",
            "DELETE FROM fz.messages WHERE id = $1",
            "BEGIN; INSERT INTO fz.messages (thread_id) VALUES ('tx'); COMMIT;",
            "BEGIN; DELETE FROM fz.messages WHERE n = 1; ROLLBACK;",
            "CREATE NAMESPACE IF NOT EXISTS fzx",
            "CREATE TABLE IF NOT EXISTS fz.scratch (id BIGINT PRIMARY KEY, body TEXT NOT NULL, at TIMESTAMP "
                    + "DEFAULT NOW()) WITH (TYPE='USER')",
            "CREATE TABLE fz.scratch2 (id INT PRIMARY KEY, v DECIMAL(10, 2)) WITH (TYPE='SHARED', "
                    + "ACCESS_LEVEL='private')",
            "CREATE TABLE fz.ev2 (id BIGINT PRIMARY KEY) WITH (TYPE='STREAM', TTL_SECONDS=10)",
            "ALTER TABLE fz.scratch ADD COLUMN extra TEXT",
            "ALTER TABLE fz.scratch DROP COLUMN extra",
            "DROP TABLE IF EXISTS fz.scratch2",
            "CREATE INDEX ON fz.messages (thread_id)",
            "SHOW TABLES",
            "SHOW NAMESPACES",
            "SHOW TABLES IN fz",
            "DESCRIBE TABLE fz.messages",
            "DESCRIBE fz.plans",
            "USE fz",
            "SUBSCRIBE TO fz.messages WHERE thread_id = 't1' OPTIONS (last_rows = 10)",
            "CONSUME FROM fz.changes GROUP 'g1' FROM EARLIEST LIMIT 5",
            "CONSUME FROM fz.changes PARTITION 1 FROM 0 LIMIT 10",
            "ACK fz.changes GROUP 'g1' UPTO OFFSET 3",
            "ACK fz.changes GROUP 'g1' PARTITION 1 UPTO OFFSET 2",
            "EXECUTE AS USER 'fuzzy' (INSERT INTO fz.messages (thread_id, content) VALUES ('x', 'y'))",
            "EXECUTE AS USER 'fuzzy' (SELECT * FROM fz.messages LIMIT 2)",
            "CREATE USER 'scratchuser' WITH PASSWORD 'ScratchPass123!' ROLE user",
            "DROP USER IF EXISTS 'scratchuser'",
            "KILL LIVE QUERY 'live-123'",
            "STORAGE FLUSH TABLE fz.messages",
            "SELECT * FROM fz.messages; SELECT COUNT(*) FROM fz.plans",
            "SELECT id, ROW_NUMBER() OVER (PARTITION BY thread_id ORDER BY id) AS rn FROM fz.messages",
            "SELECT thread_id FROM fz.messages UNION ALL SELECT id FROM fz.plans ORDER BY 1 LIMIT 5",
            "SELECT CAST(n AS VARCHAR(3)), CAST('12' AS INT), CAST(score AS DECIMAL(5, 2)) FROM fz.messages",
            "SELECT SUBSTRING(content FROM 2 FOR 3), TRIM(role), CHAR_LENGTH(content), POSITION('l' IN content) "
                    + "FROM fz.messages",
            "SELECT created_at + INTERVAL '1' DAY, EXTRACT(YEAR FROM created_at) FROM fz.messages",
            "SELECT (SELECT MAX(price) FROM fz.plans) AS top, COALESCE(content, 'none') FROM fz.messages",
            "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(x, y) WHERE x > 1",
            "SELECT thread_id, COUNT(DISTINCT role) FROM fz.messages GROUP BY ROLLUP(thread_id)",
            "SELECT * FROM fz.messages WHERE EXISTS (SELECT 1 FROM fz.plans p WHERE p.price = fz.messages.n)",
            "SELECT n / 0, MOD(n, 0), POWER(score, 1000), SQRT(-1) FROM fz.messages",
            "SELECT * FROM fz.messages ORDER BY 2 DESC NULLS LAST FETCH FIRST 3 ROWS ONLY",
            "SELECT meta, price FROM fz.plans WHERE meta IS NOT NULL AND id LIKE 'b%' ESCAPE '!'",
            "UPDATE fz.messages SET content = UPPER(content) || $1, score = score / 2 WHERE n BETWEEN $2 AND $3",
            "DELETE FROM fz.plans WHERE id IN (SELECT thread_id FROM fz.messages)",
            "INSERT INTO fz.plans (id, price) VALUES ($1, $2)",
            "ALTER TABLE fz.scratch ADD COLUMN IF NOT EXISTS extra2 INT DEFAULT 0",
            "CREATE TABLE fz.t2 (id UUID PRIMARY KEY DEFAULT UUID_V7(), d DATE, t TIME, b BYTES, f FLOAT) "
                    + "WITH (TYPE='USER')",
            "SELECT * FROM system.live_queries",
            "SHOW TABLES LIKE 'mess%'",
            "INSERT INTO fz.messages (thread_id) VALUES ('b1'); UPDATE fz.messages SET n = 0 WHERE thread_id = 'b1'");

    /** Odd tokens spliced into statements. */
    static final List<String> ODD = List.of(
            "99999999999999999999", "-1", "-9223372036854775808", "9223372036854775808", "1e400", "-1e400",
            "0.0000000000000000000000001", "'abc'", "NaN", "$0", "$1", "$2", "$99999999999", "$-1", "$", "$$",
            "(", ")", "((", "))", "'", "\"", "''", "\"\"", ";", ",", "*", "NULL", "LIMIT", "OFFSET", "SELECT",
            "FROM", "WHERE", "JOIN", "ON", "GROUP BY", "ORDER BY", "VALUES", "AS", ".", "..", "fz.", ".messages",
            "\u00e9\u00e8", "\ud83d\ude00", "\u0000", "\u0001", "\t", "\n", "\r\n", "\u202e", "\uffff", "--",
            "/*", "*/", "CAST(", "AS BIGINT)", "INTERVAL '1' DAY", "x'zz'", "DATE '2020-13-45'",
            "TIMESTAMP 'nope'", "1/0", "CURRENT_USER", "TRUE", "[1,2]", "{", "}", "?", "@", "#", "%", "\\",
            "LIMIT 99999999999999999999", "LIMIT -1", "OFFSET 'abc'", "LIMIT 1e400", "OFFSET -5", "LIMIT $1",
            "FETCH FIRST 9999999999 ROWS ONLY", "_seq", "_deleted", "system.users", "fz.nope", "nope.nope");

    private static String mutate(String sql, Random r) {
        List<String> tokens = tokenize(sql);
        int rounds = 1 + r.nextInt(3);
        for (int k = 0; k < rounds && !tokens.isEmpty(); k++) {
            int i = r.nextInt(tokens.size());
            switch (r.nextInt(10)) {
                case 0 -> tokens.remove(i);
                case 1 -> tokens.add(i, tokens.get(i));
                case 2 -> Collections.swap(tokens, i, r.nextInt(tokens.size()));
                case 3, 4 -> tokens.add(i, ODD.get(r.nextInt(ODD.size())));
                case 5 -> tokens.set(i, ODD.get(r.nextInt(ODD.size())));
                case 6 -> {
                    if (tokens.get(i).matches("-?[0-9]+(\\.[0-9]+)?")) {
                        tokens.set(i, List.of("99999999999999999999", "-1", "0", "1e400", "'abc'", "2147483648",
                                "-2147483649", "$99999999999").get(r.nextInt(8)));
                    } else {
                        tokens.add(i, "LIMIT " + List.of("99999999999999999999", "-1", "'abc'", "1e400", "$0")
                                .get(r.nextInt(5)));
                    }
                }
                case 7 -> tokens.set(i, "x".repeat(1 + r.nextInt(r.nextBoolean() ? 300 : 20_000)));
                case 8 -> tokens.add(i, String.valueOf((char) r.nextInt(0x3000)));
                default -> {
                    // truncate the statement
                    while (tokens.size() > i) {
                        tokens.remove(tokens.size() - 1);
                    }
                }
            }
        }
        return String.join(r.nextInt(8) == 0 ? "" : " ", tokens);
    }

    private static final Pattern TOKEN = Pattern.compile("'(?:[^']|'')*'|\"[^\"]*\"|\\$[0-9]+|[A-Za-z_][A-Za-z0-9_]*"
            + "|[0-9]+(?:\\.[0-9]+)?(?:[eE][0-9]+)?|<>|<=|>=|\\|\\||\\S");

    private static List<String> tokenize(String sql) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(sql);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static Object randomParam(Random r) {
        return switch (r.nextInt(14)) {
            case 0 -> null;
            case 1 -> r.nextLong();
            case 2 -> new java.math.BigInteger("99999999999999999999999999999");
            case 3 -> r.nextDouble() * 1e300;
            case 4 -> "abc";
            case 5 -> "";
            case 6 -> r.nextBoolean();
            case 7 -> new JsonArray().add(1).add("x");
            case 8 -> new JsonObject().put("a", new JsonArray().add(new JsonObject()));
            case 9 -> "x".repeat(r.nextInt(2000));
            case 10 -> "2020-13-45T99:99:99Z";
            case 11 -> "\u0000\ud83d\ude00'\"";
            case 12 -> -1;
            default -> r.nextInt(100);
        };
    }

    /** One request body: mostly a mutated statement, sometimes a broken body. */
    private static String body(Random r) {
        int kind = r.nextInt(40);
        if (kind == 0) {
            return List.of("", "{", "[]", "null", "{\"sql\":1}", "{\"sql\":null}", "{\"sql\":\"SELECT 1\","
                    + "\"params\":{}}", "{\"sql\":\"SELECT $1\",\"params\":\"x\"}", "{\"sql\":[\"SELECT 1\"]}",
                    "{\"sql\":\"SELECT 1\",\"namespace_id\":5}", "{\"sql\":\"SELECT 1\",\"namespace_id\":\"no pe\"}",
                    "{\"sql\":\"SELECT 1\"} trailing", "\u0000", "{\"sql\":\"SELECT 1\",\"params\":[1e99999]}",
                    "{\"sql\":\"SELECT $1\",\"params\":" + "[".repeat(5000) + "]".repeat(5000) + "}",
                    "{\"sql\":\"SELECT 1\",\"x\":" + "{\"a\":".repeat(3000) + "1" + "}".repeat(3000) + "}")
                    .get(r.nextInt(16));
        }
        if (kind == 1) {
            int depth = 1 + r.nextInt(r.nextBoolean() ? 50 : 20_000);
            String open = r.nextBoolean() ? "(" : "ABS(";
            return new JsonObject().put("sql", "SELECT " + open.repeat(depth) + "1" + ")".repeat(depth)
                    + " FROM fz.plans").encode();
        }
        String sql = CORPUS.get(r.nextInt(CORPUS.size()));
        if (kind > 2) {
            sql = mutate(sql, r);
        }
        JsonObject body = new JsonObject().put("sql", sql);
        if (r.nextInt(3) == 0) {
            JsonArray params = new JsonArray();
            int n = r.nextInt(6);
            for (int i = 0; i < n; i++) {
                params.add(randomParam(r));
            }
            body.put("params", params);
        }
        if (r.nextInt(10) == 0) {
            body.put("namespace_id", r.nextBoolean() ? "fz" : "nope");
        }
        return body.encode();
    }

    @Test
    @Timeout(300)
    void mutatedStatementsNeverGetA5xxNorJavaExceptionText() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        int count = Integer.getInteger("fuzz.count", 3000);
        System.out.println("SqlFuzzIT seed=" + seed + " count=" + count + " (replay with -Dfuzz.seed=" + seed + ")");
        Random master = new Random(seed);
        List<String> bodies = new ArrayList<>(count);
        List<Integer> who = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            bodies.add(body(master));
            who.add(master.nextInt(tokens.size()));
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        long started = System.nanoTime();
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int lane = c;
                jobs.add(pool.submit(() -> {
                    for (int i = lane; i < count; i += CONNECTIONS) {
                        String problem = check(http, bodies.get(i), tokens.get(who.get(i)));
                        if (problem != null) {
                            failures.add("#" + i + " " + problem + "\n    request: " + shorten(bodies.get(i)));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> job : jobs) {
                job.get();
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("SqlFuzzIT: %d requests in %.1f s, %d failures%n", count,
                (System.nanoTime() - started) / 1e9, failures.size());
        assertTrue(failures.isEmpty(), "seed=" + seed + ": " + failures.size() + " bad answers, first ones:\n"
                + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));

        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), "health after fuzzing: " + health.body());
        ApiClient.Reply after = api.ok(tokens.get(0), "SELECT v FROM fz.sentinel WHERE id = 1");
        assertEquals("intact", after.rows(0).getJsonArray(0).getString(0), after.body());
    }

    @Test
    @Timeout(120)
    void brokenBodiesOnEveryEndpointGetA4xxWithoutJavaText() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        int count = Math.max(100, Integer.getInteger("fuzz.count", 3000) / 20);
        System.out.println("SqlFuzzIT (endpoints) seed=" + seed + " count=" + count);
        Random r = new Random(seed);
        List<String> paths = List.of("/v1/api/auth/login", "/v1/api/auth/refresh", "/v1/api/auth/setup",
                "/v1/api/topics/consume", "/v1/api/topics/ack", "/v1/api/sql");
        List<String> fields = List.of("user", "username", "password", "root_password", "email", "topic_id",
                "group_id", "start", "limit", "partition_id", "timeout_seconds", "upto_offset", "offset", "sql",
                "params", "namespace_id");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String path = paths.get(r.nextInt(paths.size()));
            String body;
            if (r.nextInt(4) == 0) {
                body = body(r);
            } else {
                JsonObject json = new JsonObject();
                for (int f = r.nextInt(5); f >= 0; f--) {
                    Object value = randomParam(r);
                    json.put(fields.get(r.nextInt(fields.size())), value instanceof java.math.BigInteger b
                            ? new java.math.BigDecimal(b) : value);
                }
                if (r.nextBoolean()) {
                    json.put("topic_id", "fz.changes").put("group_id", "g" + r.nextInt(3));
                }
                body = json.encode();
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (r.nextInt(4) != 0) {
                request.header("Authorization", "Bearer " + tokens.get(r.nextInt(tokens.size())));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String what = "#" + i + " " + path + " " + shorten(body) + " -> " + response.statusCode() + " "
                    + shorten(response.body());
            if (response.statusCode() >= 500 || JAVA_LEAK.matcher(response.body()).find()) {
                failures.add(what);
            }
        }
        assertTrue(failures.isEmpty(), "seed=" + seed + ": " + failures.size() + " bad answers:\n"
                + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));
    }

    /** Queries a live subscription accepts, mutated like the rest. */
    static final List<String> SUBSCRIPTIONS = List.of(
            "SELECT * FROM fz.messages",
            "SELECT * FROM fz.messages WHERE thread_id = 't1'",
            "SELECT id, content FROM fz.messages WHERE n > 3 AND role = 'user'",
            "SELECT * FROM fz.plans WHERE price BETWEEN 5 AND 50",
            "SELECT * FROM fz.events WHERE kind = 'typing'");

    @Test
    @Timeout(180)
    void mutatedSubscriptionsGetAnAckOrAnErrorFrameWithoutJavaText() {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        int count = Math.max(50, Integer.getInteger("fuzz.count", 3000) / 10);
        System.out.println("SqlFuzzIT (WebSocket) seed=" + seed + " count=" + count);
        Random r = new Random(seed);
        int acks = 0;
        int errors = 0;
        Map<String, Integer> codes = new java.util.TreeMap<>();
        try (WsClient ws = WsClient.authenticated(server.baseUrl(), tokens.get(1))) {
            for (int i = 0; i < count; i++) {
                String base = SUBSCRIPTIONS.get(r.nextInt(SUBSCRIPTIONS.size()));
                String sql = r.nextInt(5) == 0 ? base : mutate(base, r);
                String id = "f" + i;
                JsonObject options = r.nextInt(3) == 0 ? randomOptions(r) : null;
                ws.subscribe(id, sql, options);
                JsonObject frame = ws.nextFrame(f -> id.equals(f.getString("subscription_id"))
                        || "subscribe".equals(f.getString("subscription_id"))
                        || "protocol".equals(f.getString("subscription_id")), 30_000).json();
                String what = "seed=" + seed + " #" + i + " sql=" + shorten(sql) + " options=" + options + " -> "
                        + shorten(frame.encode());
                switch (frame.getString("type")) {
                    case "subscription_ack" -> {
                        acks++;
                        ws.send(new JsonObject().put("type", "unsubscribe").put("subscription_id", id));
                    }
                    case "error" -> {
                        errors++;
                        codes.merge(String.valueOf(frame.getString("code")), 1, Integer::sum);
                        String message = frame.getString("message");
                        assertTrue(message != null && frame.getString("code") != null, what);
                        assertTrue(!JAVA_LEAK.matcher(message).find(), "Java internals in: " + what);
                    }
                    default -> throw new AssertionError("neither an ack nor an error: " + what);
                }
                assertTrue(!ws.isClosed(), "the server closed the socket after: " + what);
            }
        }
        System.out.printf("SqlFuzzIT (WebSocket): %d subscriptions, %d acks, %d errors %s%n", count, acks, errors,
                codes);
        assertTrue(acks > 0 && errors > 0, "the mutations both keep and break queries");
        api.ok(tokens.get(1), "SELECT COUNT(*) FROM fz.messages");
    }

    private static JsonObject randomOptions(Random r) {
        Object odd = List.of(-1, 0, 99999999999L, "abc", 1.5, true, new JsonObject(), new JsonArray().add(1),
                "99999999999999999999999").get(r.nextInt(9));
        return new JsonObject().put(List.of("last_rows", "batch_size", "from", "from_seq_id", "nope")
                .get(r.nextInt(5)), odd);
    }

    /** Sends one body; returns what is wrong with the answer, or null. */
    private static String check(HttpClient http, String body, String token) {
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/api/sql"))
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            return "no answer: " + e;
        }
        int status = response.statusCode();
        if (status >= 500) {
            return "status " + status + ": " + shorten(response.body());
        }
        JsonObject json;
        try {
            json = new JsonObject(response.body());
        } catch (RuntimeException e) {
            return "status " + status + " with a body that is not a JSON object: " + shorten(response.body());
        }
        String outcome = json.getString("status");
        if ("success".equals(outcome)) {
            return status == 200 && json.getJsonArray("results") != null ? null
                    : "malformed success (status " + status + "): " + shorten(response.body());
        }
        if (!"error".equals(outcome) || status < 400) {
            return "neither success nor error (status " + status + "): " + shorten(response.body());
        }
        JsonObject error = json.getJsonObject("error");
        if (error == null || error.getString("code") == null || error.getString("message") == null) {
            return "malformed error body: " + shorten(response.body());
        }
        if (JAVA_LEAK.matcher(error.getString("message")).find()) {
            return "Java internals in the message [code=" + error.getString("code") + "]: "
                    + shorten(error.getString("message"));
        }
        return null;
    }

    private static String shorten(String s) {
        String one = s.replace("\n", "\\n");
        return one.length() > 300 ? one.substring(0, 300) + "…(" + one.length() + " chars)" : one;
    }
}
