package io.kalamdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.util.MutableClock;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The engine's bounds of issue 13 (result bytes, live initial-load buffer and snapshot age, free-disk floor): recorded
 * defaults, the mapping of each key, and bad values refused naming the key.
 */
class EngineConfigTest {
    @Test
    void boundsHaveTheirRecordedDefaults() {
        EngineConfig config = EngineConfig.defaults(Path.of("/tmp/x"));
        assertEquals(64 * 1024 * 1024, config.maxResultBytes());
        assertEquals(10_000, config.maxInitialBufferedChanges());
        assertEquals(120_000, config.maxSnapshotAgeMs());
        assertEquals(128 * 1024 * 1024, config.minFreeBytes());
        assertTrue(EngineConfig.KEYS.contains(EngineConfig.MIN_FREE_BYTES));
        assertTrue(EngineConfig.KEYS.contains(EngineConfig.MAX_RESULT_BYTES));
        assertTrue(EngineConfig.KEYS.contains(EngineConfig.MAX_INITIAL_BUFFERED_CHANGES));
        assertTrue(EngineConfig.KEYS.contains(EngineConfig.MAX_SNAPSHOT_AGE_MS));
    }

    @Test
    void everyBoundKeyMapsToItsAccessor() {
        EngineConfig config = EngineConfig.from(Map.of("storage.data_path", "/tmp/x",
                "limits.max_result_bytes", "2048", "live.max_initial_buffered_changes", "7",
                "live.max_snapshot_age_ms", "1500", "storage.min_free_bytes", "0"));
        assertEquals(2048, config.maxResultBytes());
        assertEquals(7, config.maxInitialBufferedChanges());
        assertEquals(1500, config.maxSnapshotAgeMs());
        assertEquals(0, config.minFreeBytes(), "0 = refuse only when RocksDB itself is out of space");
        EngineConfig again = config.withRootPassword("Secret123!");
        assertEquals(2048, again.maxResultBytes());
        assertEquals(7, again.maxInitialBufferedChanges());
        assertEquals(1500, again.maxSnapshotAgeMs());
        assertEquals(0, again.minFreeBytes());
    }

    @Test
    void badBoundsAreRefusedNamingTheKey() {
        for (Map.Entry<String, String> bad : Map.of("limits.max_result_bytes", "100",
                "live.max_initial_buffered_changes", "0", "live.max_snapshot_age_ms", "soon",
                "storage.min_free_bytes", "-1").entrySet()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> EngineConfig.from(Map.of(bad.getKey(), bad.getValue())));
            assertTrue(e.getMessage().contains(bad.getKey()), e.getMessage());
        }
    }

    /** ADR 0020: the engine runs on the system's UTC clock unless one is given; the rest of the settings stay. */
    @Test
    void theClockIsTheSystemsUnlessOneIsGiven() {
        EngineConfig config = EngineConfig.from(Map.of("storage.data_path", "/tmp/x", "limits.max_result_bytes",
                "2048"));
        assertEquals(Clock.systemUTC(), config.clock());
        MutableClock clock = new MutableClock(1_800_000_000_000L);
        EngineConfig moved = config.withRootPassword("Secret123!").withClock(clock);
        assertEquals(clock, moved.clock());
        assertEquals(2048, moved.maxResultBytes());
        assertEquals("Secret123!", moved.rootPassword());
        assertEquals(config.withClock(clock).withRootPassword("Secret123!"), moved, "the two withers commute");
        clock.advance(Duration.ofMinutes(15));
        assertEquals(1_800_000_900_000L, moved.clock().millis());
        assertThrows(NullPointerException.class, () -> config.withClock(null));
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofMillis(-1)));
    }
}
