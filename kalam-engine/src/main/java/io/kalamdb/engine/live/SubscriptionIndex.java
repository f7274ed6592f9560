package io.kalamdb.engine.live;

import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open subscriptions, found by (table, partition) for matching, by live id for {@code KILL LIVE QUERY} and
 * counted per user against the subscription limit. A change is matched only against the subscriptions of its own
 * table and partition, never against every subscription of every user. Thread-safe.
 */
final class SubscriptionIndex {
    private final int maxPerUser;
    private final Map<Long, Map<String, List<Subscription>>> byTable = new ConcurrentHashMap<>();
    private final Map<String, Subscription> byLiveId = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perUser = new ConcurrentHashMap<>();

    SubscriptionIndex(int maxPerUser) {
        this.maxPerUser = maxPerUser;
    }

    /** Counts one more subscription of {@code userId}, or refuses it past the per-user limit. */
    void reserve(String userId) {
        AtomicInteger count = perUser.computeIfAbsent(userId, u -> new AtomicInteger());
        if (count.incrementAndGet() > maxPerUser) {
            count.decrementAndGet();
            throw new KalamException(KalamErrorCode.SUBSCRIPTION_LIMIT_EXCEEDED, "Maximum subscriptions reached [max="
                    + maxPerUser + "]");
        }
    }

    /** Makes a subscription visible to matching and lookup (its user's slot was reserved before). */
    void add(Subscription sub) {
        byTable.computeIfAbsent(sub.table().id(), k -> new ConcurrentHashMap<>())
                .computeIfAbsent(sub.partition(), k -> new CopyOnWriteArrayList<>())
                .add(sub);
        byLiveId.put(sub.liveId(), sub);
    }

    /** Forgets a subscription and frees its user's slot; called once per subscription. */
    void remove(Subscription sub) {
        Map<String, List<Subscription>> parts = byTable.get(sub.table().id());
        if (parts != null) {
            List<Subscription> list = parts.get(sub.partition());
            if (list != null) {
                list.remove(sub);
            }
        }
        byLiveId.remove(sub.liveId());
        AtomicInteger count = perUser.get(sub.userId());
        if (count != null) {
            count.decrementAndGet();
        }
    }

    /** The subscriptions that can see a change of {@code tableId} in {@code partition} (empty when none). */
    List<Subscription> candidates(long tableId, String partition) {
        Map<String, List<Subscription>> parts = byTable.get(tableId);
        if (parts == null) {
            return List.of();
        }
        List<Subscription> subs = parts.get(partition);
        return subs == null ? List.of() : subs;
    }

    /** Whether no subscription was ever registered (changes then need no matching at all). */
    boolean isEmpty() {
        return byTable.isEmpty();
    }

    Subscription find(String liveId) {
        return byLiveId.get(liveId);
    }

    /** All open subscriptions, by live id. */
    List<Subscription> all() {
        List<Subscription> list = new ArrayList<>(byLiveId.values());
        list.sort(Comparator.comparing(Subscription::liveId));
        return list;
    }
}
