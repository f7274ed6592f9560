package io.kalamdb.engine.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kalamdb.engine.EngineFixture;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.auth.Role;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.calcite.rel.RelNode;
import org.apache.calcite.runtime.Hook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Authorising on plans must not cost a plan per request: a single INSERT of values never reaches Calcite's
 * planner, the last N messages of a thread plan once (then every request runs the cached plan, whatever its
 * parameters), and any other query plans once per text and thread. Counted with Calcite's own conversion hook on
 * the calling thread, where the engine plans.
 */
class HotPathPlanningTest {
    private static final Session U1 = new Session("u1", Role.USER);
    private static EngineFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new EngineFixture();
        fx.sql(EngineFixture.ROOT, "CREATE NAMESPACE chat");
        fx.sql(EngineFixture.ROOT, "CREATE TABLE chat.messages (id BIGINT DEFAULT SNOWFLAKE_ID() PRIMARY KEY, "
                + "thread_id TEXT, content TEXT, created_at TIMESTAMP) WITH (TYPE='USER')");
        fx.sql(EngineFixture.ROOT, "CREATE TABLE chat.plans (id TEXT PRIMARY KEY, price INT) WITH (TYPE='SHARED', "
                + "ACCESS_LEVEL='PUBLIC')");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    /** How many statements Calcite converted to a plan on this thread while {@code body} ran. */
    private static int plansDuring(Runnable body) {
        AtomicInteger plans = new AtomicInteger();
        try (Hook.Closeable ignored = Hook.CONVERTED.addThread((RelNode rel) -> plans.incrementAndGet())) {
            body.run();
        }
        return plans.get();
    }

    @Test
    void singleInsertsNeverPlanAndTheLastMessagesOfAThreadPlanOnce() {
        String last = "SELECT * FROM chat.messages WHERE thread_id = $1 ORDER BY id DESC LIMIT 20";
        assertEquals(1, plansDuring(() -> fx.sql(U1, last, "warm")), "the first request plans");
        int plans = plansDuring(() -> {
            for (int i = 0; i < 200; i++) {
                fx.sql(U1, "INSERT INTO chat.messages (thread_id, content, created_at) VALUES ($1, $2, NOW())",
                        "t" + (i % 3), "message " + i);
                fx.sql(U1, last, "t" + (i % 3));
            }
        });
        assertEquals(0, plans, "hot statements must not plan");
    }

    @Test
    void otherQueriesPlanOncePerTextNotPerRequest() {
        String join = "SELECT m.content, p.price FROM chat.messages m JOIN chat.plans p ON p.id = m.thread_id "
                + "WHERE m.thread_id = $1";
        String sub = "INSERT INTO chat.messages (thread_id, content) VALUES ('s', (SELECT MAX(id) FROM chat.plans))";
        assertEquals(2, plansDuring(() -> {
            fx.sql(U1, join, "warm");
            fx.sql(U1, sub);
        }), "authorising and running share one plan per text");
        assertEquals(0, plansDuring(() -> {
            for (int i = 0; i < 50; i++) {
                fx.sql(U1, join, "t" + i);
                fx.sql(U1, sub);
            }
        }), "the plan and the tables it reads are cached");
    }
}
