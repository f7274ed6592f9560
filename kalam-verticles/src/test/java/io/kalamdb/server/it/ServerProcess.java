package io.kalamdb.server.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** The real server started by {@code bin/kalamdb-server}, as a user would start it, on a free port. */
record ServerProcess(Process process, String baseUrl) {

    static ServerProcess launch(Path dataDir) throws Exception {
        return launch(dataDir, Map.of());
    }

    static ServerProcess launch(Path dataDir, Map<String, String> env) throws Exception {
        return launch(dataDir, env, new String[0]);
    }

    /** Starts the server with {@code args} on its command line (e.g. a {@code server.toml} path). */
    static ServerProcess launch(Path dataDir, Map<String, String> env, String... args) throws Exception {
        Path repo = Path.of("").toAbsolutePath();
        while (repo != null && !Files.exists(repo.resolve("bin/kalamdb-server"))) {
            repo = repo.getParent();
        }
        if (repo == null) {
            throw new AssertionError("bin/kalamdb-server not found above " + Path.of("").toAbsolutePath());
        }
        java.util.List<String> command = new java.util.ArrayList<>();
        command.add(repo.resolve("bin/kalamdb-server").toString());
        command.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("KALAMDB_SERVER_PORT", "0");
        pb.environment().put("KALAMDB_DATA_DIR", dataDir.toString());
        pb.environment().put("KALAMDB_ROOT_PASSWORD", SqlApiIT.ROOT_PASSWORD);
        pb.environment().put("KALAMDB_BCRYPT_COST", "4");
        pb.environment().putAll(env);
        pb.directory(new File(repo.toString()));
        Process p = pb.start();
        BlockingQueue<String> ready = new ArrayBlockingQueue<>(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("KalamDB listening on ")) {
                        ready.offer(line.substring("KalamDB listening on ".length()).trim());
                    }
                }
            } catch (Exception ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        String url = ready.poll(60, TimeUnit.SECONDS);
        if (url == null) {
            p.destroyForcibly();
            throw new AssertionError("server did not print its ready line within 60 s");
        }
        return new ServerProcess(p, url);
    }

    /** SIGKILL, then wait for the process to be gone. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("server did not die");
        }
    }

    /** SIGTERM, then wait. */
    void stop() throws InterruptedException {
        process.destroy();
        process.waitFor(20, TimeUnit.SECONDS);
    }
}
