package io.kalamdb.engine.live;

/**
 * Where a subscription's frames go, in order: the initial pages, then changes. Called from engine threads
 * under the subscription's lock: implementations must only enqueue, never block.
 */
public interface LiveSink {
    void initial(Subscription subscription, InitialBatch batch);

    void change(Subscription subscription, LiveChange change);

    /** The server ended the subscription (KILL LIVE QUERY); no more frames follow. */
    default void killed(Subscription subscription) {
    }
}
