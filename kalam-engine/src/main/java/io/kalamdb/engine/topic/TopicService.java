package io.kalamdb.engine.topic;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.hot.Space;
import io.kalamdb.engine.write.Command;
import io.kalamdb.engine.write.WriteLog;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Consumer groups over topic partitions: committed offsets (durable, through the write log), claims with a
 * visibility timeout (in memory: a claim not acked in time is delivered again, at least once), and waiting
 * for new messages (long poll). Two consumers of one group never hold overlapping claims.
 */
public final class TopicService {
    private final Catalog catalog;
    private final HotStore store;
    private final WriteLog log;
    private final TopicPublisher publisher;
    private final long visibilityTimeoutMs;
    private final Map<String, GroupState> groups = new ConcurrentHashMap<>();
    private final Map<Long, List<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();

    public TopicService(Catalog catalog, HotStore store, WriteLog log, TopicPublisher publisher,
                        long visibilityTimeoutMs) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.store = requireNonNull(store, "store is null");
        this.log = requireNonNull(log, "log is null");
        this.publisher = requireNonNull(publisher, "publisher is null");
        this.visibilityTimeoutMs = visibilityTimeoutMs;
    }

    /** One group's view of one partition: where the next fresh fetch starts and the open claims. */
    private static final class GroupState {
        long cursor = -1;
        final TreeMap<Long, long[]> claims = new TreeMap<>();
    }

    public TopicDef topic(String qualifiedName) {
        int dot = qualifiedName.indexOf('.');
        if (dot <= 0 || dot == qualifiedName.length() - 1) {
            throw KalamException.execution("Topic name must be namespace-qualified: <namespace>.<topic> [topic="
                    + qualifiedName + "]");
        }
        TopicDef t = catalog.topic(qualifiedName.substring(0, dot), qualifiedName.substring(dot + 1));
        if (t == null) {
            throw new KalamException(KalamErrorCode.NOT_FOUND, "Topic '" + qualifiedName + "' does not exist");
        }
        return t;
    }

    /** The committed offset of a group on a partition, or -1. */
    public long committed(long topicId, String group, int partition) {
        byte[] v = store.get(Space.TOPIC_OFFSETS, TopicKeys.committed(topicId, group, partition));
        return v == null ? -1 : ByteBuffer.wrap(v).getLong();
    }

    public ConsumeResult consume(ConsumeRequest r) {
        TopicDef t = topic(r.topic());
        if (r.group() != null) {
            io.kalamdb.engine.util.Identifiers.check("consumer group name", r.group());
        }
        if (r.limit() < 1) {
            throw KalamException.execution("LIMIT must be positive [limit=" + r.limit() + "]");
        }
        if (r.partition() != null && (r.partition() < 0 || r.partition() >= t.partitions())) {
            throw KalamException.execution("partition out of range [partition=" + r.partition() + ", partitions="
                    + t.partitions() + "]");
        }
        if (r.start() == ConsumeRequest.Start.OFFSET && r.startOffset() < 0) {
            throw KalamException.execution("offset must not be negative [offset=" + r.startOffset() + "]");
        }
        List<TopicMessage> out = new ArrayList<>();
        boolean hasMore = false;
        long next = 0;
        int first = r.partition() == null ? 0 : r.partition();
        int last = r.partition() == null ? t.partitions() - 1 : r.partition();
        for (int p = first; p <= last && out.size() < r.limit(); p++) {
            PartitionRead read = r.claim() ? claimed(t, r, p, r.limit() - out.size())
                    : unclaimed(t, r, p, r.limit() - out.size());
            out.addAll(read.messages);
            hasMore |= read.hasMore;
            next = read.next;
            if (r.autoCommit() && r.group() != null && !read.messages.isEmpty()) {
                commit(t, r.group(), p, read.messages.get(read.messages.size() - 1).offset());
            }
        }
        if (r.partition() == null && out.size() >= r.limit()) {
            hasMore = true;
        }
        return new ConsumeResult(out, next, hasMore);
    }

    private record PartitionRead(List<TopicMessage> messages, long next, boolean hasMore) {
    }

    private long startOf(TopicDef t, ConsumeRequest r, int partition) {
        if (r.group() != null) {
            long c = committed(t.id(), r.group(), partition);
            if (c >= 0) {
                return c + 1;
            }
        }
        return switch (r.start()) {
            case EARLIEST -> 0;
            case LATEST -> publisher.endOffset(t.id(), partition);
            case OFFSET -> r.startOffset();
        };
    }

    private PartitionRead unclaimed(TopicDef t, ConsumeRequest r, int partition, int limit) {
        if (r.group() == null) {
            return readFrom(t, partition, startOf(t, r, partition), limit);
        }
        // A group remembers where its first fetch started (LATEST means "from now on"), even before a commit.
        GroupState g = groups.computeIfAbsent(t.id() + "/" + r.group() + "/" + partition, k -> new GroupState());
        synchronized (g) {
            if (g.cursor < 0) {
                g.cursor = startOf(t, r, partition);
            }
            g.cursor = Math.max(g.cursor, committed(t.id(), r.group(), partition) + 1);
            PartitionRead read = readFrom(t, partition, g.cursor, limit);
            g.cursor = read.next;
            return read;
        }
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

    private PartitionRead claimed(TopicDef t, ConsumeRequest r, int partition, int limit) {
        if (r.group() == null) {
            return unclaimed(t, r, partition, limit);
        }
        GroupState g = groups.computeIfAbsent(t.id() + "/" + r.group() + "/" + partition, k -> new GroupState());
        synchronized (g) {
            long now = System.currentTimeMillis();
            long committed = committed(t.id(), r.group(), partition);
            if (g.cursor < 0) {
                g.cursor = startOf(t, r, partition);
            }
            g.cursor = Math.max(g.cursor, committed + 1);
            g.claims.headMap(committed, true).clear();
            for (Iterator<Map.Entry<Long, long[]>> it = g.claims.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, long[]> claim = it.next();
                long[] range = claim.getValue();
                if (range[1] < now) {
                    long from = Math.max(claim.getKey(), committed + 1);
                    List<TopicMessage> msgs = read(t, partition, from, range[0], limit);
                    it.remove();
                    if (msgs.isEmpty()) {
                        continue;
                    }
                    long lastOffset = msgs.get(msgs.size() - 1).offset();
                    g.claims.put(msgs.get(0).offset(), new long[] {lastOffset, now + visibilityTimeoutMs});
                    if (lastOffset < range[0]) {
                        g.claims.put(lastOffset + 1, new long[] {range[0], range[1]});
                    }
                    return new PartitionRead(msgs, lastOffset + 1, true);
                }
            }
            List<TopicMessage> msgs = read(t, partition, g.cursor, Long.MAX_VALUE, limit + 1);
            boolean more = msgs.size() > limit;
            if (more) {
                msgs = new ArrayList<>(msgs.subList(0, limit));
            }
            if (msgs.isEmpty()) {
                return new PartitionRead(msgs, g.cursor, false);
            }
            long lastOffset = msgs.get(msgs.size() - 1).offset();
            g.claims.put(msgs.get(0).offset(), new long[] {lastOffset, now + visibilityTimeoutMs});
            g.cursor = lastOffset + 1;
            return new PartitionRead(msgs, g.cursor, more);
        }
    }

    /** Messages of a partition with offsets in [from, to], at most {@code limit}. */
    private List<TopicMessage> read(TopicDef t, int partition, long from, long to, int limit) {
        List<TopicMessage> out = new ArrayList<>();
        byte[] prefix = TopicKeys.partitionPrefix(t.id(), partition);
        try (HotStore.Cursor c = store.scanRange(Space.TOPIC_MESSAGES, prefix, TopicKeys.message(t.id(), partition,
                Math.max(0, from)), false)) {
            while (out.size() < limit && c.next()) {
                long offset = TopicKeys.offsetOf(c.key());
                if (offset > to) {
                    break;
                }
                out.add(TopicMessage.decode(t.qualifiedName(), partition, offset, c.value()));
            }
        }
        return out;
    }

    /** Commits {@code offset} for the group (monotonic) and releases its claims up to it. */
    public long ack(String topicName, String group, int partition, long offset) {
        TopicDef t = topic(topicName);
        if (group == null || group.isBlank()) {
            throw KalamException.execution("a consumer group is required to ACK");
        }
        io.kalamdb.engine.util.Identifiers.check("consumer group name", group);
        if (partition < 0 || partition >= t.partitions()) {
            throw KalamException.execution("partition out of range [partition=" + partition + ", partitions="
                    + t.partitions() + "]");
        }
        long end = publisher.endOffset(t.id(), partition);
        if (offset < 0 || offset >= end) {
            throw KalamException.execution("offset out of range: cannot ACK beyond the end of the partition [offset="
                    + offset + ", last_offset=" + (end - 1) + "]");
        }
        commit(t, group, partition, offset);
        GroupState g = groups.get(t.id() + "/" + group + "/" + partition);
        if (g != null) {
            synchronized (g) {
                g.claims.headMap(offset, true).clear();
                g.cursor = Math.max(g.cursor, offset + 1);
            }
        }
        return Math.max(offset, committed(t.id(), group, partition));
    }

    private void commit(TopicDef t, String group, int partition, long offset) {
        log.commit(new Command.CommitOffset(t.id(), group, partition, offset, System.currentTimeMillis() * 1000L));
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
