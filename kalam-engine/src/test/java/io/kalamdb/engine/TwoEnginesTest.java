package io.kalamdb.engine;

import static io.kalamdb.engine.EngineFixture.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kalamdb.engine.util.SnowflakeGenerator;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Two engines in one JVM share no counter: each stamps its own node id into SNOWFLAKE_ID() values and
 * {@code _seq}, and hands out table ids from its own store.
 */
class TwoEnginesTest {

    private static long node(long snowflake) {
        return (snowflake >> 12) & 1023;
    }

    @Test
    void idsSeqsAndTableIdsAreOwnedByEachEngine() {
        try (EngineFixture one = new EngineFixture(Map.of("cluster.node_id", "7"));
             EngineFixture two = new EngineFixture(Map.of("cluster.node_id", "9"))) {
            for (EngineFixture db : List.of(one, two)) {
                db.sql(ROOT, "CREATE NAMESPACE app");
            }
            // interleaved, so that a shared generator would stamp the last engine's node into both
            one.sql(ROOT, "CREATE TABLE app.a (id BIGINT DEFAULT SNOWFLAKE_ID(), v TEXT) WITH (TYPE='SHARED')");
            two.sql(ROOT, "CREATE TABLE app.x (id BIGINT PRIMARY KEY) WITH (TYPE='SHARED')");
            two.sql(ROOT, "CREATE TABLE app.a (id BIGINT DEFAULT SNOWFLAKE_ID(), v TEXT) WITH (TYPE='SHARED')");
            for (int i = 0; i < 5; i++) {
                one.sql(ROOT, "INSERT INTO app.a (v) VALUES ('x')");
                two.sql(ROOT, "INSERT INTO app.a (v) VALUES ('y')");
            }
            assertNodes(one, 7);
            assertNodes(two, 9);
            assertEquals(1, one.engine().catalog().table("app", "a").id(), "one's first table");
            assertEquals(2, two.engine().catalog().table("app", "a").id(), "two's second table, not one's counter");
        }
    }

    private static void assertNodes(EngineFixture db, long nodeId) {
        StatementResult r = db.one(ROOT, "SELECT id, _seq, SNOWFLAKE_ID() AS fresh FROM app.a");
        assertEquals(5, r.rows().size());
        for (Object[] row : r.rows()) {
            assertEquals(nodeId, node(((Number) row[0]).longValue()), "SNOWFLAKE_ID() default");
            assertEquals(nodeId, node(((Number) row[1]).longValue()), "_seq");
            assertEquals(nodeId, node(((Number) row[2]).longValue()), "SNOWFLAKE_ID() in a query");
            assertEquals(true, SnowflakeGenerator.timestampMs(((Number) row[0]).longValue()) > 0);
        }
    }
}
