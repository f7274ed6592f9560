package io.kalamdb.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The server's version and build date, from {@code build.properties} filled in by Maven at build time.
 */
record BuildInfo(String version, String buildDate) {
    private static final String RESOURCE = "/io/kalamdb/server/build.properties";

    static BuildInfo load() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = properties.getProperty("version", "0.1.0").replace("-SNAPSHOT", "");
        return new BuildInfo(version, properties.getProperty("build_date", "unknown"));
    }
}
