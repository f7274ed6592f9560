package io.kalamdb.engine.write;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens once applied entries are durable, for every {@link WriteLog} implementation: their change events
 * are published in log order, then each writer is acknowledged, then topic waiters are woken. A write log calls
 * {@link #committed} once per durable group, from one thread, in log order; a rejected entry (null result) has
 * already been failed and publishes nothing.
 */
public final class CommitPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(CommitPipeline.class);

    private final ChangeListener listener;
    private final Consumer<Set<Long>> topicsAppended;

    public CommitPipeline(ChangeListener listener, Consumer<Set<Long>> topicsAppended) {
        this.listener = requireNonNull(listener, "listener is null");
        this.topicsAppended = requireNonNull(topicsAppended, "topicsAppended is null");
    }

    /** A group of durable entries: {@code results.get(i)} is the outcome of {@code futures.get(i)}, or null. */
    public void committed(List<ApplyResult> results, List<CompletableFuture<ApplyResult>> futures) {
        List<ChangeEvent> events = new ArrayList<>();
        Set<Long> topics = new HashSet<>();
        for (ApplyResult r : results) {
            if (r != null) {
                events.addAll(r.events());
                topics.addAll(r.topics());
            }
        }
        if (!events.isEmpty()) {
            try {
                listener.onCommitted(events);
            } catch (RuntimeException e) {
                LOG.warn("change listener failed", e);
            }
        }
        for (int i = 0; i < results.size(); i++) {
            ApplyResult r = results.get(i);
            if (r != null) {
                futures.get(i).complete(r);
            }
        }
        if (!topics.isEmpty()) {
            topicsAppended.accept(topics);
        }
    }
}
