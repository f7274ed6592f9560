package io.kalamdb.engine.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kalamdb.engine.EngineConfig;
import io.kalamdb.engine.KalamEngine;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.hot.KeyCodec;
import io.kalamdb.engine.hot.RocksHotStore;
import io.kalamdb.engine.hot.Space;
import io.kalamdb.engine.util.MutableClock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STREAM rows past their TTL are hard-deleted from every partition, through the {@code _seq} index, and rows still
 * within their TTL stay: checked in the stored key spaces themselves (the engine closed, the store reopened), since
 * queries hide expired rows whether or not they were evicted.
 */
class HousekeeperTest {
    private static final Session ROOT = new Session("root", Role.SYSTEM);

    @TempDir
    Path dir;

    @Test
    void expiredRowsOfEveryPartitionAreEvictedAndTheOthersKept() {
        MutableClock clock = new MutableClock();
        EngineConfig config = EngineConfig.from(Map.of("storage.data_path", dir.toString(), "auth.bcrypt_cost", "4",
                "auth.root_password", "RootPass123!", "stream.eviction_interval_ms", "3600000")).withClock(clock);
        long tableId;
        try (KalamEngine engine = KalamEngine.open(config)) {
            engine.execute(ROOT, "CREATE NAMESPACE ev; CREATE TABLE ev.s (id BIGINT PRIMARY KEY, v TEXT) "
                    + "WITH (TYPE='STREAM', TTL_SECONDS=2)", List.of(), "default");
            for (String user : List.of("u1", "u2", "u3")) {
                engine.execute(new Session(user, Role.USER), "INSERT INTO ev.s (id, v) VALUES (1, 'old'), (2, 'old'), "
                        + "(3, 'old')", List.of(), "default");
            }
            clock.advance(Duration.ofMillis(2001)); // past the TTL of the rows above, not of those below
            engine.execute(new Session("u2", Role.USER), "INSERT INTO ev.s (id, v) VALUES (4, 'new')", List.of(),
                    "default");
            engine.execute(new Session("u4", Role.USER), "INSERT INTO ev.s (id, v) VALUES (5, 'new')", List.of(),
                    "default");
            tableId = engine.catalog().table("ev", "s").id();
            engine.housekeep();
        }
        try (RocksHotStore store = RocksHotStore.open(dir)) {
            assertEquals(Map.of("u2", 1, "u4", 1), rowsByPartition(store, Space.ROWS, tableId));
            assertEquals(Map.of("u2", 1, "u4", 1), rowsByPartition(store, Space.SEQ_INDEX, tableId));
        }
    }

    private static Map<String, Integer> rowsByPartition(HotStore store, Space space, long tableId) {
        Map<String, Integer> rows = new TreeMap<>();
        List<byte[]> keys = new ArrayList<>();
        try (HotStore.Cursor c = store.scan(space, KeyCodec.tablePrefix(tableId), false)) {
            while (c.next()) {
                keys.add(c.key());
            }
        }
        for (byte[] key : keys) {
            rows.merge(KeyCodec.partitionOf(key), 1, Integer::sum);
        }
        return rows;
    }
}
