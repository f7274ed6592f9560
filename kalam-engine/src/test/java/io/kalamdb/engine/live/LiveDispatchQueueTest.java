package io.kalamdb.engine.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.EngineFixture;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.auth.Role;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The live dispatch queue is bounded ({@code engine.live.max_queued_groups}): while matching is held up, writers
 * wait instead of queueing change events without bound, and once it goes on every change is delivered, in order.
 */
@Timeout(60)
class LiveDispatchQueueTest {
    private static final Session ALICE = new Session("alice", Role.USER);

    @Test
    void aFullDispatchQueueHoldsWritersBackAndDropsNoChange() throws Exception {
        try (EngineFixture fx = new EngineFixture(Map.of("engine.live.max_queued_groups", "1"))) {
            fx.sql(EngineFixture.ROOT, "CREATE NAMESPACE chat; CREATE TABLE chat.m (id BIGINT PRIMARY KEY, "
                    + "content TEXT) WITH (TYPE='USER')");
            CountDownLatch firstChange = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<LiveChange> changes = new CopyOnWriteArrayList<>();
            fx.engine().live().subscribe(ALICE, "c1", "s", "SELECT * FROM chat.m", new SubscribeOptions(10, null,
                    null), new LiveSink() {
                        @Override
                        public void initial(Subscription subscription, InitialBatch batch) {
                        }

                        @Override
                        public void change(Subscription subscription, LiveChange change) {
                            changes.add(change);
                            firstChange.countDown();
                            try {
                                release.await(); // a dispatcher held up (never done by real sinks)
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    });
            int writes = 20;
            AtomicInteger acknowledged = new AtomicInteger();
            Thread writer = Thread.ofPlatform().start(() -> {
                for (int i = 1; i <= writes; i++) {
                    fx.sql(ALICE, "INSERT INTO chat.m (id, content) VALUES (" + i + ", 'm" + i + "')");
                    acknowledged.incrementAndGet();
                }
            });
            assertTrue(firstChange.await(10, TimeUnit.SECONDS));
            // one group held by the dispatcher, one queued, one offered by the waiting writer: the rest wait
            writer.join(500);
            assertTrue(acknowledged.get() <= 3, "writes went on past a full dispatch queue: " + acknowledged.get());
            release.countDown();
            writer.join(30_000);
            assertEquals(writes, acknowledged.get());
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (changes.size() < writes && System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            List<Object> ids = new ArrayList<>();
            for (LiveChange c : changes) {
                ids.add(c.rows().get(0).get("id"));
            }
            List<Object> expected = new ArrayList<>();
            for (long i = 1; i <= writes; i++) {
                expected.add(i);
            }
            assertEquals(expected.toString(), ids.toString(), "every change, once, in commit order");
        }
    }
}
