package io.kalamdb.engine.topic;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.TopicDef;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.hot.Space;
import io.kalamdb.engine.write.Command;
import io.kalamdb.engine.write.GroupPosition;
import io.kalamdb.engine.write.TopicKeys;
import io.kalamdb.engine.write.WriteLog;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Consumer groups over topic partitions: a durable position per group and partition (a committed offset and the
 * offsets acknowledged one by one above it, through the write log), claims with a visibility timeout (in memory,
 * each owned by the consumer it was handed to), and waiting for new messages (long poll).
 *
 * <p>Delivery is at least once for every group (ADR 0012): an ack acknowledges only the acking consumer's claims;
 * a claim not acked in time goes to the next consumer that fetches, whatever others acked; after a restart every
 * offset above the committed one that was not acknowledged is delivered again. Consumers read only messages whose
 * batch is durable. Two consumers of one group never hold the same offset at once.
 */
public final class TopicService {
    private final Catalog catalog;
    private final HotStore store;
    private final WriteLog log;
    private final TopicPublisher publisher;
    private final long visibilityTimeoutMs;
    private final java.time.Clock clock;
    private final Map<String, GroupState> groups = new ConcurrentHashMap<>();
    private final Map<Long, List<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();

    public TopicService(Catalog catalog, HotStore store, WriteLog log, TopicPublisher publisher,
                        long visibilityTimeoutMs, java.time.Clock clock) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.store = requireNonNull(store, "store is null");
        this.log = requireNonNull(log, "log is null");
        this.publisher = requireNonNull(publisher, "publisher is null");
        this.visibilityTimeoutMs = visibilityTimeoutMs;
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** One group's view of one partition in this process: where fresh fetches continue and the open claims. */
    private static final class GroupState {
        long cursor = -1;
        final TreeMap<Long, Claim> claims = new TreeMap<>();
    }

    /** An offset handed to {@code consumer} (null: the anonymous consumer), redelivered after {@code deadlineMs}. */
    private record Claim(String consumer, long deadlineMs) {
    }

    public TopicDef topic(String qualifiedName) {
        int dot = qualifiedName.indexOf('.');
        if (dot <= 0 || dot == qualifiedName.length() - 1) {
            throw new KalamException(KalamErrorCode.INVALID_OPTION,
                    "Topic name must be namespace-qualified: <namespace>.<topic> [topic="
                    + qualifiedName + "]");
        }
        TopicDef t = catalog.topic(qualifiedName.substring(0, dot), qualifiedName.substring(dot + 1));
        if (t == null) {
            throw new KalamException(KalamErrorCode.NOT_FOUND, "Topic '" + qualifiedName + "' does not exist");
        }
        return t;
    }

    /** The committed offset of a group on a partition (every offset at or below it is acknowledged), or -1. */
    public long committed(long topicId, String group, int partition) {
        GroupPosition p = position(topicId, group, partition);
        return p == null ? -1 : p.committed();
    }

    /** The durable position of a group on a partition, or null before the group's first fetch there. */
    public GroupPosition position(long topicId, String group, int partition) {
        byte[] v = store.get(Space.TOPIC_OFFSETS, TopicKeys.committed(topicId, group, partition));
        return v == null ? null : GroupPosition.decode(v);
    }

    public ConsumeResult consume(ConsumeRequest r) {
        TopicDef t = topic(r.topic());
        if (r.group() != null) {
            io.kalamdb.engine.util.Identifiers.check("consumer group name", r.group());
        }
        if (r.limit() < 1) {
            throw new KalamException(KalamErrorCode.INVALID_OPTION, "LIMIT must be positive [limit=" + r.limit() + "]");
        }
        if (r.partition() != null && (r.partition() < 0 || r.partition() >= t.partitions())) {
            throw new KalamException(KalamErrorCode.INVALID_OPTION,
                    "partition out of range [partition=" + r.partition() + ", partitions="
                    + t.partitions() + "]");
        }
        if (r.start() == ConsumeRequest.Start.OFFSET && r.startOffset() < 0) {
            throw new KalamException(KalamErrorCode.INVALID_OPTION,
                    "offset must not be negative [offset=" + r.startOffset() + "]");
        }
        int first = r.partition() == null ? 0 : r.partition();
        int last = r.partition() == null ? t.partitions() - 1 : r.partition();
        if (r.group() != null) {
            for (int p = first; p <= last; p++) {
                startingPosition(t, r, p);
            }
        }
        List<TopicMessage> out = new ArrayList<>();
        boolean hasMore = false;
        long next = 0;
        for (int p = first; p <= last && out.size() < r.limit(); p++) {
            PartitionRead read = r.group() == null ? readFrom(t, p, startOf(t, r, p), r.limit() - out.size())
                    : claimed(t, r, p, r.limit() - out.size());
            out.addAll(read.messages);
            hasMore |= read.hasMore;
            next = read.next;
            if (r.autoCommit() && r.group() != null && !read.messages.isEmpty()) {
                List<Long> offsets = read.messages.stream().map(TopicMessage::offset).toList();
                acknowledge(t, r.group(), p, r.consumer(), offsets);
            }
        }
        if (r.partition() == null && out.size() >= r.limit()) {
            hasMore = true;
        }
        return new ConsumeResult(out, next, hasMore);
    }

    private record PartitionRead(List<TopicMessage> messages, long next, boolean hasMore) {
    }

    /** Where a reader without a stored position starts. */
    private long startOf(TopicDef t, ConsumeRequest r, int partition) {
        return switch (r.start()) {
            case EARLIEST -> 0;
            case LATEST -> publisher.durableEndOffset(t.id(), partition);
            case OFFSET -> r.startOffset();
        };
    }

    /**
     * The group's stored position; at the group's first fetch of the partition, its start (LATEST resolved to the
     * current end) is made durable first, so that a restart before the first ack starts from the same place.
     */
    private GroupPosition startingPosition(TopicDef t, ConsumeRequest r, int partition) {
        GroupPosition pos = position(t.id(), r.group(), partition);
        if (pos != null) {
            return pos;
        }
        GroupState g = state(t, r.group(), partition);
        synchronized (g) {
            pos = position(t.id(), r.group(), partition);
            if (pos == null) {
                long start = startOf(t, r, partition);
                log.commit(new Command.CommitOffset(t.id(), r.group(), partition, start - 1, nowMicros()));
                pos = position(t.id(), r.group(), partition);
            }
            return pos;
        }
    }

    private GroupState state(TopicDef t, String group, int partition) {
        return groups.computeIfAbsent(t.id() + "/" + group + "/" + partition, k -> new GroupState());
    }

    private PartitionRead readFrom(TopicDef t, int partition, long from, int limit) {
        List<TopicMessage> msgs = read(t, partition, from, Long.MAX_VALUE, limit + 1);
        boolean more = msgs.size() > limit;
        if (more) {
            msgs = msgs.subList(0, limit);
        }
        long next = msgs.isEmpty() ? from : msgs.get(msgs.size() - 1).offset() + 1;
        return new PartitionRead(new ArrayList<>(msgs), next, more);
    }

    /**
     * Hands {@code r.consumer()} up to {@code limit} messages of the partition and claims them: first claims whose
     * visibility timeout passed (whoever held them), then offsets never handed out in this process, skipping what
     * the group acknowledged and what others hold.
     */
    private PartitionRead claimed(TopicDef t, ConsumeRequest r, int partition, int limit) {
        GroupState g = state(t, r.group(), partition);
        synchronized (g) {
            GroupPosition pos = startingPosition(t, r, partition);
            long now = clock.millis();
            long deadline = now + visibilityTimeoutMs;
            g.cursor = Math.max(g.cursor, pos.committed() + 1);
            g.claims.headMap(pos.committed(), true).clear();
            g.claims.keySet().removeIf(pos::isAcked);
            List<TopicMessage> out = new ArrayList<>();
            boolean moreExpired = false;
            Claim redelivering = null; // one fetch's expired claims at a time: a redelivery is shaped as it was
            for (Iterator<Map.Entry<Long, Claim>> it = g.claims.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, Claim> claim = it.next();
                if (claim.getValue().deadlineMs() >= now) {
                    continue;
                }
                if (redelivering == null) {
                    redelivering = claim.getValue();
                } else if (!redelivering.equals(claim.getValue())) {
                    moreExpired = true;
                    break;
                }
                if (out.size() >= limit) {
                    moreExpired = true;
                    break;
                }
                long offset = claim.getKey();
                byte[] value = store.get(Space.TOPIC_MESSAGES, TopicKeys.message(t.id(), partition, offset));
                if (value == null) {
                    it.remove(); // trimmed by retention meanwhile
                    continue;
                }
                out.add(TopicMessage.decode(t.qualifiedName(), partition, offset, value));
                claim.setValue(new Claim(r.consumer(), deadline));
            }
            long end = publisher.durableEndOffset(t.id(), partition);
            long cursor = g.cursor;
            if (!out.isEmpty()) { // a redelivery comes on its own, as the expired claims it is
                return new PartitionRead(out, out.get(out.size() - 1).offset() + 1, true);
            }
            fresh:
            while (out.size() < limit && cursor < end) {
                List<TopicMessage> chunk = read(t, partition, cursor, end - 1, Math.max(limit, 64));
                if (chunk.isEmpty()) {
                    cursor = end;
                    break;
                }
                for (TopicMessage m : chunk) {
                    if (out.size() >= limit) {
                        break fresh;
                    }
                    cursor = m.offset() + 1;
                    if (!pos.isAcked(m.offset()) && !g.claims.containsKey(m.offset())) {
                        g.claims.put(m.offset(), new Claim(r.consumer(), deadline));
                        out.add(m);
                    }
                }
            }
            g.cursor = cursor;
            long next = out.isEmpty() ? cursor : out.get(out.size() - 1).offset() + 1;
            return new PartitionRead(out, next, moreExpired || cursor < end);
        }
    }

    /** Durable messages of a partition with offsets in [from, to], at most {@code limit}. */
    private List<TopicMessage> read(TopicDef t, int partition, long from, long to, int limit) {
        List<TopicMessage> out = new ArrayList<>();
        long last = Math.min(to, publisher.durableEndOffset(t.id(), partition) - 1);
        if (from > last) {
            return out;
        }
        byte[] prefix = TopicKeys.partitionPrefix(t.id(), partition);
        try (HotStore.Cursor c = store.scanRange(Space.TOPIC_MESSAGES, prefix, TopicKeys.message(t.id(), partition,
                Math.max(0, from)), false)) {
            while (out.size() < limit && c.next()) {
                long offset = TopicKeys.offsetOf(c.key());
                if (offset > last) {
                    break;
                }
                out.add(TopicMessage.decode(t.qualifiedName(), partition, offset, c.value()));
            }
        }
        return out;
    }

    /** {@link #ack(String, String, String, int, long)} by the anonymous consumer (SQL {@code ACK}). */
    public long ack(String topicName, String group, int partition, long offset) {
        return ack(topicName, group, null, partition, offset);
    }

    /**
     * Acknowledges the claims {@code consumer} holds on the partition at or below {@code offset} — only those:
     * another consumer's claims stay claimed and are redelivered if it never acks. The group's committed offset
     * advances over the contiguous acknowledged prefix; returns it.
     */
    public long ack(String topicName, String group, String consumer, int partition, long offset) {
        TopicDef t = topic(topicName);
        if (group == null || group.isBlank()) {
            throw new KalamException(KalamErrorCode.INVALID_OPTION, "a consumer group is required to ACK");
        }
        io.kalamdb.engine.util.Identifiers.check("consumer group name", group);
        if (partition < 0 || partition >= t.partitions()) {
            throw new KalamException(KalamErrorCode.INVALID_OPTION,
                    "partition out of range [partition=" + partition + ", partitions="
                    + t.partitions() + "]");
        }
        long end = publisher.durableEndOffset(t.id(), partition);
        if (offset < 0 || offset >= end) {
            throw new KalamException(KalamErrorCode.INVALID_OPTION,
                    "offset out of range: cannot ACK beyond the end of the partition [offset="
                    + offset + ", last_offset=" + (end - 1) + "]");
        }
        GroupState g = groups.get(t.id() + "/" + group + "/" + partition);
        List<Long> mine = new ArrayList<>();
        if (g != null) {
            synchronized (g) {
                for (Map.Entry<Long, Claim> claim : g.claims.headMap(offset, true).entrySet()) {
                    if (Objects.equals(claim.getValue().consumer(), consumer)) {
                        mine.add(claim.getKey());
                    }
                }
            }
        }
        if (!mine.isEmpty()) {
            acknowledge(t, group, partition, consumer, mine);
        }
        return committed(t.id(), group, partition);
    }

    /** Makes the acknowledgement of {@code offsets} durable, then drops the consumer's claims on them. */
    private void acknowledge(TopicDef t, String group, int partition, String consumer, List<Long> offsets) {
        log.commit(new Command.AckOffsets(t.id(), group, partition, List.copyOf(offsets), nowMicros()));
        GroupState g = state(t, group, partition);
        synchronized (g) {
            for (Long o : offsets) {
                Claim c = g.claims.get(o);
                if (c != null && Objects.equals(c.consumer(), consumer)) {
                    g.claims.remove(o);
                }
            }
        }
    }

    private long nowMicros() {
        return clock.millis() * 1000L;
    }

    /** Completes when a message is next appended to the topic (for long polls); callers add their own timeout. */
    public CompletableFuture<Void> onAppend(long topicId) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        waiters.computeIfAbsent(topicId, k -> new CopyOnWriteArrayList<>()).add(f);
        f.whenComplete((v, e) -> {
            List<CompletableFuture<Void>> list = waiters.get(topicId);
            if (list != null) {
                list.remove(f);
            }
        });
        return f;
    }

    /** Called after commits that appended messages. */
    public void appended(Set<Long> topicIds) {
        for (Long id : topicIds) {
            List<CompletableFuture<Void>> list = waiters.get(id);
            if (list != null) {
                for (CompletableFuture<Void> f : list) {
                    f.complete(null);
                }
            }
        }
    }

    /** Forgets in-memory group state of a dropped or cleared topic. */
    public void forget(long topicId) {
        groups.keySet().removeIf(k -> k.startsWith(topicId + "/"));
    }
}
