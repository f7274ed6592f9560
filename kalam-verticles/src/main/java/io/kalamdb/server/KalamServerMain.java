package io.kalamdb.server;


import java.util.concurrent.CompletionException;

/**
 * The server's entry point: reads the configuration, starts a {@link KalamServer}, prints
 * {@code KalamDB listening on http://HOST:PORT} once ready and closes cleanly on SIGTERM. A start-up failure
 * prints one line on stderr and exits with status 1.
 *
 * <p>The process's entry point is the one class that prints (the ready line, one-line failures) and ends the JVM,
 * hence {@code @SuppressForbidden} (jdk-system-out, System.exit, Runtime.halt).
 */
@SuppressForbidden
public final class KalamServerMain {

    private KalamServerMain() {
    }

    public static void main(String[] args) {
        ServerConfig config;
        try {
            config = ServerConfig.load(args, System.getenv());
        } catch (StartupException e) {
            exit(e.getMessage());
            return;
        }
        configureLogging(config.logLevel());
        KalamServer server;
        try {
            server = KalamServer.start(config).toCompletionStage().toCompletableFuture().join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            exit(cause instanceof StartupException ? cause.getMessage() : "KalamDB failed to start: " + cause);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // says why the server stops: a signal (SIGTERM, SIGINT) or an exit, not a failure of its own
            org.slf4j.LoggerFactory.getLogger(KalamServerMain.class).info("JVM shutdown requested (a signal such as "
                    + "SIGTERM or SIGINT, or an exit): stopping the server");
            boolean clean = false;
            try {
                server.close();
                clean = true;
            } finally {
                // A stop that was asked for and went cleanly is a success: exit status 0, not the JVM's 128+signal
                // (143, 130), which `make run` and service managers report as a failure. Nothing after
                // registration calls System.exit, so only a signal brings the JVM here.
                System.err.flush();
                Runtime.getRuntime().halt(clean ? 0 : 1);
            }
        }, "kalamdb-shutdown"));
        if (server.needsSetup()) {
            System.err.println(setupHint(server.baseUrl()));
            System.err.flush();
        }
        // every other listener's line first: once the HTTP line is printed, every surface answers (PROTOCOL.md)
        System.out.println("KalamDB gRPC listening on " + server.grpcAddress());
        System.out.println("KalamDB listening on " + server.baseUrl());
        System.out.flush();
    }

    /** What to do when root has no password yet (neither KALAMDB_ROOT_PASSWORD nor setup gave it one). */
    static String setupHint(String baseUrl) {
        return "KalamDB needs setup: root has no password, so nobody can log in yet. From this machine run\n"
                + "  curl -s " + baseUrl + "/v1/api/auth/setup -H 'Content-Type: application/json' \\\n"
                + "    -d '{\"user\":\"admin\",\"password\":\"<dba password>\",\"root_password\":\"<root password>\"}'\n"
                + "(creates the dba user 'admin' and sets root's password), or stop the server and start it again "
                + "with KALAMDB_ROOT_PASSWORD set.";
    }

    /** Sets up slf4j-simple (on stderr: stdout carries only the ready line) before the first logger exists. */
    private static void configureLogging(String level) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
    }

    private static void exit(String message) {
        System.err.println(message);
        System.err.flush();
        System.exit(1);
    }
}
