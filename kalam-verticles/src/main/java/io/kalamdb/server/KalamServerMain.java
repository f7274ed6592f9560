package io.kalamdb.server;

import java.util.concurrent.CompletionException;

/**
 * The server's entry point: reads the configuration, starts a {@link KalamServer}, prints
 * {@code KalamDB listening on http://HOST:PORT} once ready and closes cleanly on SIGTERM. A start-up failure
 * prints one line on stderr and exits with status 1.
 */
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
            server.close();
        }, "kalamdb-shutdown"));
        System.out.println("KalamDB listening on " + server.baseUrl());
        System.out.flush();
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
