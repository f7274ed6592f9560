package io.kalamdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the real {@code bin/kalamdb-server} as a child process, as users and scripts do: the ready line, the
 * health check, a login, a clean SIGTERM, and the one-line failures of a bad configuration.
 */
class ServerStartIT {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();
    private static final Path LAUNCHER = REPO.resolve("bin/kalamdb-server");
    private static final Pattern READY = Pattern.compile("KalamDB listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final long START_TIMEOUT_SECONDS = 90;
    private static final long EXIT_TIMEOUT_SECONDS = 60;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void startsOnAFreePortAnswersHealthAndLoginThenStopsOnSigterm() throws Exception {
        ServerProcess server = ServerProcess.start(dir, Map.of(
                "KALAMDB_SERVER_PORT", "0",
                "KALAMDB_DATA_DIR", dir.resolve("data").toString(),
                "KALAMDB_ROOT_PASSWORD", "RootPass123",
                "KALAMDB_BCRYPT_COST", "4"));
        try {
            String ready = server.awaitStdoutLine(READY, START_TIMEOUT_SECONDS);
            assertNotNull(ready, "no ready line; stderr: " + server.stderr());
            Matcher matcher = READY.matcher(ready);
            assertTrue(matcher.find());
            String base = "http://127.0.0.1:" + matcher.group(1);

            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertEquals("healthy", new JsonObject(health.body()).getString("status"));

            HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/api/auth/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"root\",\"password\":\"RootPass123\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, login.statusCode(), login.body());
            assertEquals("system", new JsonObject(login.body()).getJsonObject("user").getString("role"));

            server.process.destroy(); // SIGTERM
            String stderr = server.stderrAfterExit();
            assertTrue(stderr.contains("shutting down") && stderr.contains("stopped"),
                    "no clean shutdown [exit=" + server.process.exitValue() + "]: " + stderr);
            assertEquals(0, server.process.exitValue(), "a clean stop on SIGTERM is a success: " + stderr);
            assertFalse(stderr.contains("needs setup"), "root has a password: " + stderr);
        } finally {
            server.kill();
        }
    }

    /** Issue #9: without a root password the server no longer starts silently: it says setup is needed, and how. */
    @Test
    void withoutARootPasswordItSaysSetupIsNeededAndHow() throws Exception {
        ServerProcess server = ServerProcess.start(dir, Map.of(
                "KALAMDB_SERVER_PORT", "0",
                "KALAMDB_DATA_DIR", dir.resolve("data").toString(),
                "KALAMDB_BCRYPT_COST", "4"));
        try {
            String ready = server.awaitStdoutLine(READY, START_TIMEOUT_SECONDS);
            assertNotNull(ready, "no ready line; stderr: " + server.stderr());
            Matcher matcher = READY.matcher(ready);
            assertTrue(matcher.find());
            String base = "http://127.0.0.1:" + matcher.group(1);
            String stderr = server.stderr();
            assertTrue(stderr.contains(KalamServerMain.setupHint(base)), stderr);

            // the hint's command works as printed (with real passwords)
            HttpResponse<String> setup = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/api/auth/setup"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"admin\",\"password\":\"AdminPass123\","
                            + "\"root_password\":\"RootPass123\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, setup.statusCode(), setup.body());
            server.process.destroy();
            assertTrue(server.stderrAfterExit().contains("stopped"));
            assertEquals(0, server.process.exitValue());
        } finally {
            server.kill();
        }
    }

    @Test
    void anUnknownKeyInTheFileStopsStartupNamingIt() throws Exception {
        Path file = dir.resolve("server.toml");
        Files.writeString(file, "[server]\nport = 0\nprot = 8080\n");
        assertStartupFails(List.of(file.toString()), Map.of("KALAMDB_DATA_DIR", dir.resolve("data").toString()),
                "server.prot");
    }

    /** Issue #8: the real binary refuses a key of a feature that is not built, and an unknown variable. */
    @Test
    void aKeyOfAFeatureNotBuiltOrAnUnknownVariableStopsStartupSayingSo() throws Exception {
        Path file = dir.resolve("server.toml");
        Files.writeString(file, "[server]\nport = 0\n[flush]\ndefault_row_limit = 10000\n");
        Map<String, String> env = Map.of("KALAMDB_DATA_DIR", dir.resolve("data").toString());
        assertStartupFails(List.of(file.toString()), env, "not built yet [key=flush.default_row_limit");
        Files.writeString(file, "[server]\nport = 0\n");
        assertStartupFails(List.of(file.toString()), Map.of("KALAMDB_DATA_DIR", dir.resolve("data").toString(),
                "KALAMDB_SERVER_WORKERS", "8"), "unknown environment variable [variable=KALAMDB_SERVER_WORKERS]");
    }

    @Test
    void aTakenPortStopsStartupNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            String port = Integer.toString(taken.getLocalPort());
            assertStartupFails(List.of(), Map.of("KALAMDB_SERVER_PORT", port,
                    "KALAMDB_DATA_DIR", dir.resolve("data").toString()), "port=" + port);
        }
    }

    @Test
    void aBadValueStopsStartupNamingTheKey() throws Exception {
        assertStartupFails(List.of(), Map.of("KALAMDB_SERVER_PORT", "abc"), "server.port");
    }

    @Test
    void anUnwritableDataDirectoryStopsStartupNamingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        Path data = file.resolve("data");
        assertStartupFails(List.of(), Map.of("KALAMDB_DATA_DIR", data.toString(), "KALAMDB_SERVER_PORT", "0"),
                data.toString());
    }

    private void assertStartupFails(List<String> args, Map<String, String> env, String named) throws Exception {
        ServerProcess server = ServerProcess.start(dir, env, args.toArray(String[]::new));
        try {
            String stderr = server.stderrAfterExit();
            assertEquals(1, server.process.exitValue(), stderr);
            assertEquals(1, stderr.lines().count(), "one line on stderr: " + stderr);
            assertTrue(stderr.contains(named), "stderr should name " + named + ": " + stderr);
            assertFalse(server.stdoutLines.stream().anyMatch(line -> line.contains("listening")));
        } finally {
            server.kill();
        }
    }

    /** A launched server: stdout read line by line by a reader thread, stderr sent to a file. */
    private static final class ServerProcess {
        private static final Object END = new Object();

        final Process process;
        final List<String> stdoutLines = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final BlockingQueue<Object> pending = new LinkedBlockingQueue<>();
        private final Path stderrFile;

        private ServerProcess(Process process, Path stderrFile) {
            this.process = process;
            this.stderrFile = stderrFile;
            Thread reader = new Thread(this::readStdout, "server-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        static ServerProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
            assertTrue(Files.isExecutable(LAUNCHER), "missing " + LAUNCHER + " (run make build)");
            List<String> command = new java.util.ArrayList<>();
            command.add(LAUNCHER.toString());
            command.addAll(List.of(args));
            Path stderr = Files.createTempFile(workDir, "stderr", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectError(stderr.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("KALAMDB_"));
            builder.environment().putAll(env);
            return new ServerProcess(builder.start(), stderr);
        }

        /** The first stdout line matching {@code pattern} within the timeout, or null (also if the process ends). */
        String awaitStdoutLine(Pattern pattern, long timeoutSeconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
                Object line = pending.poll(left, TimeUnit.NANOSECONDS);
                if (line == null || line == END) {
                    return null;
                }
                if (pattern.matcher((String) line).find()) {
                    return (String) line;
                }
            }
            return null;
        }

        /** Waits (bounded) for the process to end, then returns everything it wrote on stderr. */
        String stderrAfterExit() throws InterruptedException, IOException {
            assertTrue(process.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS), "the server did not stop");
            return Files.readString(stderrFile);
        }

        String stderr() {
            try {
                return Files.readString(stderrFile);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }

        void kill() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        }

        private void readStdout() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    stdoutLines.add(line);
                    pending.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            } finally {
                pending.add(END);
            }
        }
    }
}
