package io.kalamdb.server.it;

import io.kalamdb.server.ServerConfig;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The configuration the integration tests start a real server with: port 0, a data directory, a cheap bcrypt. */
public final class TestServers {
    /** Root's password in every test server. */
    public static final String ROOT_PASSWORD = "RootPass123!";

    private TestServers() {
    }

    /** The test configuration with {@code overrides} applied on top. */
    public static ServerConfig config(Path dataDir, Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        values.put("server.port", "0");
        values.put("server.engine_workers", "8");
        values.put("storage.data_path", dataDir.toString());
        values.put("auth.root_password", ROOT_PASSWORD);
        values.put("auth.bcrypt_cost", "4");
        values.putAll(overrides);
        return ServerConfig.of(values);
    }
}
