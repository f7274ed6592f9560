package io.kalamdb.engine.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kalamdb.engine.EngineFixture;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.util.MutableClock;
import io.kalamdb.engine.write.GroupPosition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * At-least-once delivery to every group (ADR 0012): an ack releases only the acking consumer's claims, the committed
 * offset advances over the contiguous acknowledged prefix, acknowledged offsets above it and a group's starting
 * position survive a restart.
 */
@Timeout(60)
class TopicDeliveryTest {
    private static final Session ROOT = EngineFixture.ROOT;
    private static final Session ALICE = new Session("alice", Role.USER);
    private final MutableClock clock = new MutableClock();
    private EngineFixture fx;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture(Map.of("topics.visibility_timeout_secs", "1"), clock);
        fx.sql(ROOT, "CREATE NAMESPACE chat; CREATE TABLE chat.messages (id BIGINT DEFAULT SNOWFLAKE_ID(), "
                + "content TEXT) WITH (TYPE='USER'); CREATE TOPIC chat.ev; "
                + "ALTER TOPIC chat.ev ADD SOURCE chat.messages ON INSERT");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private void insert(int count) {
        for (int i = 0; i < count; i++) {
            fx.sql(ALICE, "INSERT INTO chat.messages (content) VALUES ($1)", "m" + i);
        }
    }

    private List<Long> consume(String consumer, ConsumeRequest.Start start, int limit) {
        ConsumeResult r = fx.engine().topics().consume(new ConsumeRequest("chat.ev", "g", 0, start, 0, limit, true,
                false).withConsumer(consumer));
        return r.messages().stream().map(TopicMessage::offset).toList();
    }

    private long committed() {
        TopicService topics = fx.engine().topics();
        return topics.committed(topics.topic("chat.ev").id(), "g", 0);
    }

    /** Moves the clock past the visibility timeout (one second) and fetches as {@code consumer}. */
    private List<Long> fetchAfterTimeout(String consumer) {
        assertEquals(List.of(), consume(consumer, ConsumeRequest.Start.EARLIEST, 10), "nothing before the timeout");
        clock.advance(Duration.ofMillis(1001));
        return consume(consumer, ConsumeRequest.Start.EARLIEST, 10);
    }

    @Test
    void anAckReleasesOnlyTheAckingConsumersClaims() throws Exception {
        insert(10);
        TopicService topics = fx.engine().topics();
        assertEquals(List.of(0L, 1L, 2L, 3L), consume("a", ConsumeRequest.Start.EARLIEST, 4));
        assertEquals(List.of(4L, 5L, 6L, 7L), consume("b", ConsumeRequest.Start.EARLIEST, 4));
        assertEquals(-1, topics.ack("chat.ev", "g", "b", 0, 9), "b's ack of 9 does not release a's 0..3");
        assertEquals(List.of(8L, 9L), consume("b", ConsumeRequest.Start.EARLIEST, 10),
                "a's claims stay claimed while their timeout runs, b's acked offsets are not handed out again");
        assertEquals(List.of(0L, 1L, 2L, 3L), fetchAfterTimeout("b"), "a died: its claims go to b after the timeout");
        assertEquals(-1, topics.ack("chat.ev", "g", "a", 0, 9), "a no longer holds 0..3: its late ack releases none");
        assertEquals(-1, committed());
        assertEquals(9, topics.ack("chat.ev", "g", "b", 0, 9), "b acked everything: the prefix 0..9 is committed");
        assertEquals(List.of(), consume("c", ConsumeRequest.Start.EARLIEST, 10));
    }

    @Test
    void theCommittedOffsetAdvancesOverTheContiguousAckedPrefix() {
        insert(6);
        TopicService topics = fx.engine().topics();
        assertEquals(List.of(0L, 1L), consume("a", ConsumeRequest.Start.EARLIEST, 2));
        assertEquals(List.of(2L, 3L), consume("b", ConsumeRequest.Start.EARLIEST, 2));
        assertEquals(List.of(4L, 5L), consume("c", ConsumeRequest.Start.EARLIEST, 2));
        assertEquals(-1, topics.ack("chat.ev", "g", "c", 0, 5));
        assertEquals(-1, topics.ack("chat.ev", "g", "b", 0, 2), "a cumulative ack acks only what b holds up to 2");
        assertEquals(-1, committed());
        assertEquals(2, topics.ack("chat.ev", "g", "a", 0, 1), "0..2 is now a contiguous prefix");
        GroupPosition p = topics.position(topics.topic("chat.ev").id(), "g", 0);
        assertEquals(2, p.ackedAboveCommitted(), "4 and 5 are acknowledged above the gap at 3");
        assertEquals(5, topics.ack("chat.ev", "g", "b", 0, 3));
    }

    @Test
    void offsetsAckedAboveTheCommittedOneSurviveARestart() {
        insert(10);
        consume("a", ConsumeRequest.Start.EARLIEST, 4);
        consume("b", ConsumeRequest.Start.EARLIEST, 4);
        assertEquals(-1, fx.engine().topics().ack("chat.ev", "g", "b", 0, 7));
        fx.restart();
        assertEquals(List.of(0L, 1L, 2L, 3L, 8L, 9L), consume("c", ConsumeRequest.Start.EARLIEST, 20),
                "after a restart every unacknowledged offset is delivered again, the acknowledged ones are not");
    }

    @Test
    void aLatestGroupKeepsItsStartAndItsUnackedClaimsAcrossARestart() {
        insert(3);
        assertEquals(List.of(), consume("a", ConsumeRequest.Start.LATEST, 10), "LATEST starts after offset 2");
        assertEquals(2, committed(), "the start is persisted at the first fetch, before any ack");
        insert(5);
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L), consume("a", ConsumeRequest.Start.LATEST, 10));
        fx.restart();
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L), consume("b", ConsumeRequest.Start.LATEST, 10),
                "claims held across a restart are delivered again (LATEST is not re-resolved)");
        List<Object[]> rows = fx.one(ROOT, "SELECT last_acked_offset FROM system.topic_offsets WHERE group_id = 'g'")
                .rows();
        assertEquals(1, rows.size());
        assertEquals(2L, rows.get(0)[0]);
    }

    @Test
    void sqlConsumeWithAGroupAcknowledgesWhatItReturnedOnly() {
        insert(4);
        List<Long> held = consume("http-consumer", ConsumeRequest.Start.EARLIEST, 2);
        assertEquals(List.of(0L, 1L), held);
        Session worker = new Session("worker", Role.SERVICE);
        List<Long> viaSql = new ArrayList<>();
        fx.one(worker, "CONSUME FROM chat.ev GROUP 'g' FROM EARLIEST LIMIT 10").rows()
                .forEach(r -> viaSql.add((Long) r[2]));
        assertEquals(List.of(2L, 3L), viaSql, "another consumer's claims are not handed to SQL CONSUME");
        assertEquals(-1, committed(), "SQL CONSUME acknowledged 2 and 3 only");
        assertEquals(3, fx.engine().topics().ack("chat.ev", "g", "http-consumer", 0, 1),
                "the HTTP consumer's ack of 0..1 joins SQL's 2..3 into the committed prefix");
    }
}
