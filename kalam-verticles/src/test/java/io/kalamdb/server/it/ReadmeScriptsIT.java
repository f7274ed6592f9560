package io.kalamdb.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.server.Futures;
import io.kalamdb.server.KalamServer;
import io.kalamdb.server.ServerConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue #9: the README's quick start and agent loop run as they are written, with bash, curl and python3 against
 * the real server: each block is taken from README.md between its marker and the end of the code block, so the
 * test runs exactly the text a reader copies. It checks each answer, that the two blocks can be pasted again
 * (what exists is kept), and that the README's {@code login} stops on a wrong password.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReadmeScriptsIT {
    private static final Path README = Path.of("..", "README.md");
    private static final long SCRIPT_SECONDS = 120;

    private static KalamServer server;

    @BeforeAll
    static void start() throws IOException {
        server = Futures.await(KalamServer.start(ServerConfig.of(Map.of(
                "server.port", "0",
                "storage.data_path", Files.createTempDirectory("kalam-readme").toString(),
                "auth.root_password", "kalamdb-dev-root", // what `make run` sets, as the README says
                "auth.bcrypt_cost", "4",
                "rate_limit.max_queries_per_sec", "0"))));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void quickStartThenAgentLoopRunAsWrittenAndCanBePastedAgain() throws Exception {
        String script = block("quick-start") + "\n" + block("agent-loop");

        Result first = run(script);
        assertEquals(0, first.status, first.describe());
        List<JsonObject> answers = first.answers();
        assertEquals(16, answers.size(), first.describe());
        answers.forEach(a -> assertEquals("success", a.getString("status"), a.encode()));
        checkQuickStart(answers);
        checkAgentLoop(first, answers);

        Result second = run(script);
        assertEquals(0, second.status, second.describe());
        List<JsonObject> again = second.answers();
        assertEquals(16, again.size(), second.describe());
        List<String> errors = new ArrayList<>();
        again.stream().filter(a -> !"success".equals(a.getString("status")))
                .forEach(a -> errors.add(a.getJsonObject("error").getString("message")));
        assertEquals(List.of("User 'alice' already exists", "User 'service_bot' already exists"), errors,
                "a second paste only finds the users there: " + second.describe());
        JsonArray thread7 = rows(again.get(14));
        assertEquals(4, thread7.size(), "the loop ran again, answering the new message: " + thread7);
        assertEquals(0, again.get(15).getJsonArray("results").getJsonObject(0).getInteger("row_count"));
    }

    @Test
    void loginStopsOnAWrongPassword() throws Exception {
        String quickStart = block("quick-start");
        // the helpers: the block up to its first blank line
        String helpers = quickStart.substring(0, quickStart.indexOf("\n\n"));
        Result wrong = run(helpers + "\nTOKEN=$(login root not-the-password)\necho \"never here: $TOKEN\"\n");
        assertNotEquals(0, wrong.status, wrong.describe());
        assertTrue(wrong.stderr.contains("login failed: {'error': 'unauthorized', 'message': 'Invalid credentials'}"),
                wrong.describe());
        assertTrue(!wrong.stdout.contains("never here"), wrong.describe());
    }

    /** Every repository path the README names (in backticks or as a link) exists. */
    @Test
    void theReadmeNamesOnlyFilesThatExist() throws IOException {
        String text = Files.readString(README);
        Matcher path = Pattern.compile("[`(]((?:docs|bin|scripts|bench|kalam-[a-z]+|\\.mvn)/[A-Za-z0-9_./-]*)[`)]")
                .matcher(text);
        TreeSet<String> missing = new TreeSet<>();
        int named = 0;
        while (path.find()) {
            String name = path.group(1);
            if (name.contains("/target/")) {
                continue; // build output, made by the command the README describes
            }
            named++;
            if (!Files.exists(README.getParent().resolve(name))) {
                missing.add(name);
            }
        }
        assertTrue(named >= 8, "the pattern finds the README's paths: " + named);
        assertEquals(new TreeSet<>(), missing, "paths named by README.md that do not exist");
        for (String file : List.of("server.toml.example", "Dockerfile", "docker-compose.yml", "Makefile")) {
            assertTrue(Files.exists(README.getParent().resolve(file)), file);
        }
    }

    private static void checkQuickStart(List<JsonObject> answers) {
        JsonArray alice = rows(answers.get(6));
        assertEquals(2, alice.size(), answers.get(6).encode());
        assertEquals(List.of("Can you check my invoice?", "Done."),
                alice.stream().map(r -> ((JsonArray) r).getString(3)).toList());
        for (Object row : alice) {
            assertNotNull(((JsonArray) row).getValue(4), "created_at DEFAULT NOW() fills the agent's row too: " + row);
        }
        JsonArray schema = answers.get(6).getJsonArray("results").getJsonObject(0).getJsonArray("schema");
        assertEquals(List.of("id", "thread_id", "role", "content", "created_at", "_seq", "_deleted"),
                schema.stream().map(c -> ((JsonObject) c).getString("name")).toList(),
                "the README names _seq and _deleted as the columns SELECT * adds");
        assertEquals(0, rows(answers.get(7)).size(), "the bot's own space is empty");
    }

    private static void checkAgentLoop(Result run, List<JsonObject> answers) {
        Matcher consumed = Pattern.compile("message at partition (\\d) offset (\\d+) from alice in thread_7")
                .matcher(run.stdout);
        assertTrue(consumed.find(), run.describe());
        JsonArray ack = rows(answers.get(13)).getJsonArray(0);
        assertEquals(List.of("chat.message_events", "chat-worker-1", Integer.parseInt(consumed.group(1)),
                consumed.group(2)), ack.getList(), "ACK commits the consumed partition and offset");
        assertEquals(new JsonArray().add(new JsonArray().add("user").add("Any news?"))
                .add(new JsonArray().add("assistant").add("Nothing new yet.")), rows(answers.get(14)));
        JsonObject again = answers.get(15).getJsonArray("results").getJsonObject(0);
        assertEquals(0, again.getInteger("row_count"), "the agent's reply is not routed: the topic takes only users' "
                + "messages, and the group has consumed alice's: " + again.encode());
    }

    private static JsonArray rows(JsonObject answer) {
        return answer.getJsonArray("results").getJsonObject(0).getJsonArray("rows");
    }

    /** The code block after {@code <!-- tag}, as the README shows it. */
    static String block(String tag) throws IOException {
        String text = Files.readString(README);
        int marker = text.indexOf("<!-- " + tag);
        assertTrue(marker >= 0, "README.md has no block marked " + tag);
        int start = text.indexOf("```sh\n", marker) + "```sh\n".length();
        int end = text.indexOf("```\n", start);
        return text.substring(start, end);
    }

    private static Result run(String script) throws Exception {
        Path file = Files.createTempFile("readme", ".sh");
        Files.writeString(file, script);
        ProcessBuilder builder = new ProcessBuilder("bash", "-e", "-o", "pipefail", file.toString());
        builder.environment().put("B", server.baseUrl());
        Path out = Files.createTempFile("readme", ".out");
        Path err = Files.createTempFile("readme", ".err");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(SCRIPT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the script did not end: " + Files.readString(out));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Result(int status, String stdout, String stderr) {
        /** The JSON answers printed by the README's {@code sql} helper, in order. */
        List<JsonObject> answers() {
            return stdout.lines().filter(line -> line.startsWith("{\"status\"")).map(JsonObject::new).toList();
        }

        String describe() {
            return "[exit=" + status + "]\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }
}
