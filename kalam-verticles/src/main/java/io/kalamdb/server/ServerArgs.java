package io.kalamdb.server;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * The server's command line: {@code kalamdb-server [server.toml | --config PATH | --config=PATH]}.
 */
final class ServerArgs {
    static final String USAGE = "usage: kalamdb-server [server.toml | --config PATH]";

    private ServerArgs() {
    }

    /** The configuration file named on the command line, or null when there is none. */
    static Path configFile(String[] args) {
        Deque<String> rest = new ArrayDeque<>(Arrays.asList(args));
        Path path = null;
        while (!rest.isEmpty()) {
            String arg = rest.removeFirst();
            String value;
            if (arg.equals("--config")) {
                if (rest.isEmpty()) {
                    throw new StartupException("missing value of --config; " + USAGE);
                }
                value = rest.removeFirst();
            } else if (arg.startsWith("--config=")) {
                value = arg.substring("--config=".length());
            } else if (!arg.startsWith("-")) {
                value = arg;
            } else {
                throw new StartupException("unknown argument [arg=" + arg + "]; " + USAGE);
            }
            if (path != null) {
                throw new StartupException("more than one configuration file [arg=" + value + "]; " + USAGE);
            }
            path = Path.of(value);
        }
        return path;
    }
}
