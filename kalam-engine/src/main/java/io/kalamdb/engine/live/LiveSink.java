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

    /**
     * The engine ended the subscription because it fell too far behind while its initial data loaded (PROTOCOL
     * deviation 1); no more frames follow. The client resumes with {@code from = resumeFrom}, the {@code _seq}
     * of the last initial row handed to this sink (0 when none).
     */
    default void lagging(Subscription subscription, long resumeFrom, String reason) {
        killed(subscription);
    }
}
