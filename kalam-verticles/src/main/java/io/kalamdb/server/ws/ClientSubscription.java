package io.kalamdb.server.ws;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.ColumnInfo;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.live.SubscribeOptions;
import io.kalamdb.engine.live.Subscription;

import java.util.HashMap;
import java.util.Map;

/**
 * One client subscription as its connection sees it: the engine's handle once known, the column types of its
 * rows, whether it has ended, and the {@code _seq} of the last frame written to the socket (the
 * {@code resume_from} of a {@code SUBSCRIBER_LAGGING} error). Confined to the connection's event loop, except the
 * two volatile flags that the engine-side sink reads.
 */
final class ClientSubscription {
    private final String id;
    private final SubscribeOptions options;
    private Subscription handle;
    private Map<String, KalamType> types;
    private long deliveredSeq = -1;
    /** Ended on this side (unsubscribed, killed, lagging, socket closed): frames still arriving are dropped. */
    private volatile boolean ended;
    /** The sink refused a change because the connection's queue was full; the lag procedure is scheduled. */
    private volatile boolean lagging;

    ClientSubscription(String id, SubscribeOptions options) {
        this.id = requireNonNull(id, "id is null");
        this.options = requireNonNull(options, "options is null");
    }

    String id() {
        return id;
    }

    /** The engine's subscription, from the first sink call or the subscribe reply (whichever comes first). */
    void attach(Subscription subscription) {
        if (handle == null) {
            handle = requireNonNull(subscription, "subscription is null");
            Map<String, KalamType> byName = new HashMap<>();
            for (ColumnInfo column : subscription.schema()) {
                byName.put(column.name(), column.type());
            }
            types = byName;
        }
    }

    Subscription handle() {
        return handle;
    }

    Map<String, KalamType> types() {
        return types;
    }

    void delivered(long seq) {
        if (seq > deliveredSeq) {
            deliveredSeq = seq;
        }
    }

    /**
     * Where the client resumes without a gap: after the last {@code _seq} it was sent, else after the
     * subscription's own {@code from}, else from the start.
     */
    long resumeFrom() {
        if (deliveredSeq >= 0) {
            return deliveredSeq;
        }
        return options.from() != null ? options.from() : 0;
    }

    boolean isEnded() {
        return ended;
    }

    void end() {
        ended = true;
    }

    boolean isLagging() {
        return lagging;
    }

    /** Marks the subscription lagging; true only for the call that did it. */
    boolean markLagging() {
        if (lagging) {
            return false;
        }
        lagging = true;
        return true;
    }
}
