package io.kalamdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.topic.ConsumeRequest;
import io.kalamdb.engine.topic.TopicService;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consumers read only durable messages: while the write log's sync of a routed insert is held back (by a fake
 * store around the real one), the message is applied but no consumer gets it and no one may ack it; once the sync
 * completes it is delivered.
 */
@Timeout(60)
class TopicDurableReadTest {
    private static final Session ROOT = new Session("root", Role.SYSTEM);
    private static final Session ALICE = new Session("alice", Role.USER);

    @TempDir
    Path dir;

    @Test
    void aMessageIsHandedOutOnlyAfterItsBatchIsSynced() throws Exception {
        AtomicBoolean hold = new AtomicBoolean();
        CountDownLatch syncEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        KalamEngine engine = KalamEngine.open(EngineConfig.from(Map.of("storage.data_path", dir.toString(),
                "auth.bcrypt_cost", "4", "auth.root_password", "RootPass123!")), real -> heldSync(real, hold,
                syncEntered, release));
        try {
            engine.execute(ROOT, "CREATE NAMESPACE chat; CREATE TABLE chat.m (id BIGINT DEFAULT SNOWFLAKE_ID(), "
                    + "content TEXT) WITH (TYPE='USER'); CREATE TOPIC chat.ev; "
                    + "ALTER TOPIC chat.ev ADD SOURCE chat.m ON INSERT", List.of(), "default");
            TopicService topics = engine.topics();
            assertEquals(0, consume(topics, "g1"), "g1's first fetch persists its start (through the log)");
            hold.set(true);
            CompletableFuture<List<StatementResult>> insert = engine.executeAsync(ALICE,
                    "INSERT INTO chat.m (content) VALUES ('not yet durable')", List.of(), "default");
            assertTrue(syncEntered.await(10, TimeUnit.SECONDS), "the write log reached its sync");
            assertEquals(1, engine.execute(ALICE, "SELECT * FROM chat.m", List.of(), "default").get(0).rowCount(),
                    "the insert is applied (rows are readable before the sync), and its topic message with it");
            assertEquals(0, consume(topics, "g1"), "an unsynced message is handed to no group");
            assertEquals(0, consume(topics, null), "nor to a stateless reader");
            assertThrows(KalamException.class, () -> topics.ack("chat.ev", "g1", "c", 0, 0),
                    "no one can ack a message that is not durable");
            assertFalse(insert.isDone());
            release.countDown();
            insert.get(10, TimeUnit.SECONDS);
            assertEquals(1, consume(topics, "g1"), "synced: delivered");
        } finally {
            release.countDown();
            engine.close();
        }
    }

    private static int consume(TopicService topics, String group) {
        return topics.consume(new ConsumeRequest("chat.ev", group, 0, ConsumeRequest.Start.EARLIEST, 0, 10,
                group != null, false).withConsumer("c")).messages().size();
    }

    /** The real store, except that while {@code hold} is set a sync waits for {@code release}. */
    private static HotStore heldSync(HotStore real, AtomicBoolean hold, CountDownLatch entered,
                                     CountDownLatch release) {
        return (HotStore) Proxy.newProxyInstance(HotStore.class.getClassLoader(), new Class<?>[] {HotStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sync") && hold.get()) {
                        entered.countDown();
                        if (!release.await(30, TimeUnit.SECONDS)) {
                            throw new AssertionError("sync never released");
                        }
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
