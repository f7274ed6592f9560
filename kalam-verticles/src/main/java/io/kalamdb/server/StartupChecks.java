package io.kalamdb.server;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks made before anything opens, so that a bad data directory or a taken port fails start-up at once with
 * a message naming the path or port (and not after the database has opened).
 */
final class StartupChecks {

    private StartupChecks() {
    }

    /** The data directory exists (created if needed) and a file can be written in it. */
    static void dataDirectoryWritable(Path dataDir) {
        Path dir = dataDir.toAbsolutePath();
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new StartupException("data directory is not writable [path=" + dir + "]: " + reason(e)
                    + " (storage.data_path / KALAMDB_DATA_DIR)");
        }
    }

    /** Nothing listens on {@code host:port} yet (port 0 always passes). */
    static void portFree(String host, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (BindException e) {
            throw portInUse(host, port);
        } catch (IOException e) {
            throw new StartupException("cannot listen on [host=" + host + ", port=" + port + "]: " + reason(e)
                    + " (server.host / server.port)");
        }
    }

    static StartupException portInUse(String host, int port) {
        return new StartupException("HTTP port is already in use [port=" + port + ", host=" + host
                + "] (server.port / KALAMDB_SERVER_PORT)");
    }

    private static String reason(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
