package io.kalamdb.engine.live;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.write.ChangeEvent;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands committed change events to live matching on one thread of its own, off the write path and in commit
 * order. Its queue holds at most a fixed number of committed groups: when it is full the committing thread waits
 * for the dispatcher (back-pressure on writers), so no change is ever dropped and memory stays bounded.
 */
final class ChangeDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeDispatcher.class);

    private final BlockingQueue<List<ChangeEvent>> queue;
    private final Consumer<ChangeEvent> matcher;
    private final Thread thread;
    private volatile boolean closed;

    ChangeDispatcher(int maxQueuedGroups, Consumer<ChangeEvent> matcher) {
        this.queue = new LinkedBlockingQueue<>(maxQueuedGroups);
        this.matcher = requireNonNull(matcher, "matcher is null");
        this.thread = new Thread(this::run, "kalam-live-dispatcher");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues one committed group, waiting while the queue is full (unless closed or interrupted). */
    void offer(List<ChangeEvent> events) {
        try {
            while (!closed && !queue.offer(events, 100, TimeUnit.MILLISECONDS)) {
                LOG.debug("live dispatch queue full; the writer waits for the dispatcher");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (!closed) {
            try {
                List<ChangeEvent> events = queue.poll(100, TimeUnit.MILLISECONDS);
                if (events == null) {
                    continue;
                }
                for (ChangeEvent e : events) {
                    matcher.accept(e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("live query dispatch failed", e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
