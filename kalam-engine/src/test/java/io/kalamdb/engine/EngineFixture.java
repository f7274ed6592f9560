package io.kalamdb.engine;

import io.kalamdb.engine.auth.Role;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** An engine on a fresh temp directory with a fast bcrypt cost, and helpers to run SQL as a role. */
public final class EngineFixture implements AutoCloseable {
    public static final Session ROOT = new Session("root", Role.SYSTEM);

    private final Path dir;
    private final Map<String, String> overrides;
    private final java.time.Clock clock;
    private KalamEngine engine;

    public EngineFixture() {
        this(Map.of());
    }

    /** An engine with extra configuration keys (dotted, as in server.toml). */
    public EngineFixture(Map<String, String> overrides) {
        this(overrides, io.kalamdb.engine.util.Clocks.system());
    }

    /** An engine with extra configuration keys whose wall time is {@code clock} (a test's settable clock). */
    public EngineFixture(Map<String, String> overrides, java.time.Clock clock) {
        this.overrides = Map.copyOf(overrides);
        this.clock = java.util.Objects.requireNonNull(clock, "clock is null");
        try {
            this.dir = Files.createTempDirectory("kalam-engine-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.engine = KalamEngine.open(config());
    }

    public EngineConfig config() {
        Map<String, String> values = new java.util.HashMap<>(Map.of("storage.data_path", dir.toString(),
                "auth.bcrypt_cost", "4", "auth.root_password", "RootPass123!"));
        values.putAll(overrides);
        return EngineConfig.from(values).withClock(clock);
    }

    public KalamEngine engine() {
        return engine;
    }

    /** Closes and reopens the engine on the same directory. */
    public void restart() {
        engine.close();
        engine = KalamEngine.open(config());
    }

    public List<StatementResult> sql(Session s, String sql, Object... params) {
        return engine.execute(s, sql, Arrays.asList(params), "default");
    }

    public StatementResult one(Session s, String sql, Object... params) {
        List<StatementResult> r = sql(s, sql, params);
        return r.get(r.size() - 1);
    }

    @Override
    public void close() {
        engine.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
