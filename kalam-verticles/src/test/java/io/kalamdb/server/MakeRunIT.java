package io.kalamdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #9: {@code make run} as a user runs it, through the real Makefile and {@code bin/kalamdb-server}, ends
 * with status 0 and no make error after a clean stop, by SIGTERM to the server or Ctrl-C (SIGINT to the whole
 * foreground process group, as a terminal sends it).
 *
 * <p>The server jar is already built when failsafe runs; {@code make -o JAR} keeps make from rebuilding it (a
 * touched source would otherwise start a nested Maven build inside this test).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MakeRunIT {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();
    private static final String JAR = "kalam-verticles/target/kalam-verticles-0.1.0-SNAPSHOT.jar";
    private static final long READY_SECONDS = 90;
    private static final long EXIT_SECONDS = 60;
    /** How GNU make reports a failed recipe: {@code make: *** [Makefile:42: run] Error 130}. */
    private static final Pattern MAKE_ERROR = Pattern.compile("(?m)^make(\\[\\d+])?: \\*\\*\\*");

    @TempDir
    Path dir;

    @Test
    void sigtermToTheServerEndsMakeRunWithStatusZero() throws Exception {
        MakeRun run = MakeRun.start(dir, List.of("make", "--no-print-directory", "-o", JAR, "run"));
        try {
            run.awaitReady();
            ProcessHandle server = run.process.toHandle().children().findFirst().orElseThrow(
                    () -> new AssertionError("make run has no child process: " + run.output()));
            assertTrue(server.info().command().orElse("").endsWith("java"), "the server replaced the launcher "
                    + "shell (exec): " + server.info());
            assertTrue(server.destroy(), "SIGTERM sent");
            assertTrue(run.process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS), "make run did not end: " + run.output());
            String output = run.output();
            assertEquals(0, run.process.exitValue(), output);
            assertFalse(MAKE_ERROR.matcher(output).find(), "make reports no error: " + output);
            assertTrue(output.contains("stopped"), "the server stopped cleanly: " + output);
            assertFalse(output.contains(" WARN ") || output.contains(" ERROR "),
                    "a first start on an empty directory logs no warning: " + output);
            assertEquals(1, output.lines().filter(line -> line.contains("configuration in effect")).count(),
                    "the configuration is logged once: " + output);
        } finally {
            run.kill();
        }
    }

    @Test
    void ctrlCStopsTheServerCleanlyWithoutAMakeError() throws Exception {
        // setsid: make leads a process group of its own, as in a terminal, and the signal goes to the whole group;
        // env --default-signal: SIGINT acts as in a terminal even when this test runs in the background (a
        // non-interactive shell starts background jobs with SIGINT ignored, and children inherit that)
        MakeRun run = MakeRun.start(dir, List.of("env", "--default-signal=INT", "setsid", "make",
                "--no-print-directory", "-o", JAR, "run"));
        try {
            run.awaitReady();
            long group = run.process.pid();
            Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + group).inheritIO().start();
            assertEquals(0, kill.waitFor(), "kill -INT sent to process group " + group);
            assertTrue(run.process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS), "make run did not end: " + run.output());
            String output = run.output();
            // make itself got the SIGINT and dies of it, as GNU make always does (status 130); what it must not do
            // is report its recipe as failed ("Error 130"): the server stopped cleanly and exited 0
            assertFalse(MAKE_ERROR.matcher(output).find(), "make reports no error: " + output);
            assertTrue(output.contains("stopped"), "the server stopped cleanly: " + output);
        } finally {
            run.kill();
        }
    }

    /** {@code make … run} in the repository with a fresh data directory and a free port; output merged. */
    private record MakeRun(Process process, List<String> lines, BlockingQueue<String> pending) {
        private static final String END = "\u0000end";

        static MakeRun start(Path dir, List<String> command) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true);
            // a top-level make, not a sub-make of the `make test` that may be running this test
            builder.environment().keySet().removeIf(name -> name.startsWith("KALAMDB_") || name.equals("MAKEFLAGS")
                    || name.equals("MAKELEVEL") || name.equals("MFLAGS"));
            builder.environment().put("KALAMDB_SERVER_PORT", "0");
            builder.environment().put("KALAMDB_DATA_DIR", Files.createDirectories(dir.resolve("data")).toString());
            builder.environment().put("KALAMDB_BCRYPT_COST", "4");
            MakeRun run = new MakeRun(builder.start(), new CopyOnWriteArrayList<>(), new LinkedBlockingQueue<>());
            Thread reader = new Thread(run::read, "make-run-output");
            reader.setDaemon(true);
            reader.start();
            return run;
        }

        void awaitReady() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
            while (System.nanoTime() < deadline) {
                String line = pending.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                assertNotNull(line, "no ready line: " + output());
                assertFalse(line == END, "make run ended before it was ready: " + output());
                if (line.startsWith("KalamDB listening on http://127.0.0.1:")) {
                    return;
                }
            }
            throw new AssertionError("no ready line within " + READY_SECONDS + " s: " + output());
        }

        String output() {
            return String.join("\n", lines);
        }

        void kill() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS);
            }
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
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
