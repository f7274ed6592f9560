package io.kalamdb.server.bus;

import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.engine.live.Subscription;
import io.vertx.core.eventbus.EventBus;

/**
 * Registers the local codecs of every request and reply type; call once per Vert.x instance, before deploying.
 */
public final class BusCodecs {

    private BusCodecs() {
    }

    public static void register(EventBus bus) {
        registerLocal(bus, SqlRequest.class);
        registerLocal(bus, SqlReply.class);
        registerLocal(bus, TokenPrincipal.class);
        registerLocal(bus, LoginRequest.class);
        registerLocal(bus, SetupRequest.class);
        registerLocal(bus, UserRecord.class);
        registerLocal(bus, TopicConsumeRequest.class);
        registerLocal(bus, TopicConsumeReply.class);
        registerLocal(bus, TopicAckRequest.class);
        registerLocal(bus, LiveSubscribeRequest.class);
        registerLocal(bus, LiveNextBatchRequest.class);
        registerLocal(bus, Subscription.class);
    }

    private static <T> void registerLocal(EventBus bus, Class<T> type) {
        bus.registerDefaultCodec(type, new LocalCodec<>(type));
    }
}
