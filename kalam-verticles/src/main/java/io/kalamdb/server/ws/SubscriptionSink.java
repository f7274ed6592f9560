package io.kalamdb.server.ws;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.live.InitialBatch;
import io.kalamdb.engine.live.LiveChange;
import io.kalamdb.engine.live.LiveSink;
import io.kalamdb.engine.live.Subscription;

/**
 * The engine side of one client subscription. Called on engine threads under the subscription's lock, it never
 * blocks: it counts the frame against the connection's bound and hands the work to the connection's event loop
 * (one FIFO task queue, so frames keep the engine's order). A change that finds the connection's queue at its
 * bound is not handed over: the subscription is marked lagging and ends with {@code SUBSCRIBER_LAGGING}, as it
 * does when the engine ends it for holding back too many changes while its initial data loads.
 */
final class SubscriptionSink implements LiveSink {
    private final WsConnection connection;
    private final ClientSubscription subscription;

    SubscriptionSink(WsConnection connection, ClientSubscription subscription) {
        this.connection = requireNonNull(connection, "connection is null");
        this.subscription = requireNonNull(subscription, "subscription is null");
    }

    @Override
    public void initial(Subscription handle, InitialBatch batch) {
        if (subscription.isEnded()) {
            return;
        }
        connection.admitFrame();
        connection.onEventLoop(() -> connection.onInitial(subscription, handle, batch));
    }

    @Override
    public void change(Subscription handle, LiveChange change) {
        if (subscription.isEnded() || subscription.isLagging()) {
            return;
        }
        if (!connection.tryAdmitChange()) {
            if (subscription.markLagging()) {
                connection.onEventLoop(() -> connection.onLagging(subscription));
            }
            return;
        }
        connection.onEventLoop(() -> connection.onChange(subscription, handle, change));
    }

    /** The engine ended it while loading; the connection tells the client after the frames written so far. */
    @Override
    public void lagging(Subscription handle, long resumeFrom, String reason) {
        if (subscription.markLagging()) {
            connection.onEventLoop(() -> connection.onLagging(subscription, "Subscriber too slow: " + reason
                    + "; resubscribe with from = resume_from"));
        }
    }

    @Override
    public void killed(Subscription handle) {
        connection.onEventLoop(() -> connection.onKilled(subscription));
    }
}
