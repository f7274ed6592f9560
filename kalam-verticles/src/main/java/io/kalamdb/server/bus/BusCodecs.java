package io.kalamdb.server.bus;

import io.kalamdb.engine.api.LiveNextBatchRequest;
import io.kalamdb.engine.api.LiveSubscribeRequest;
import io.kalamdb.engine.api.LoginRequest;
import io.kalamdb.engine.api.Principal;
import io.kalamdb.engine.api.ScanRequest;
import io.kalamdb.engine.api.SetupRequest;
import io.kalamdb.engine.api.SqlRequest;
import io.kalamdb.engine.api.TopicAckRequest;
import io.kalamdb.engine.api.TopicConsumeReply;
import io.kalamdb.engine.api.TopicConsumeRequest;
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
        registerLocal(bus, Principal.class);
        registerLocal(bus, LoginRequest.class);
        registerLocal(bus, SetupRequest.class);
        registerLocal(bus, UserRecord.class);
        registerLocal(bus, TopicConsumeRequest.class);
        registerLocal(bus, TopicConsumeReply.class);
        registerLocal(bus, TopicAckRequest.class);
        registerLocal(bus, LiveSubscribeRequest.class);
        registerLocal(bus, LiveNextBatchRequest.class);
        registerLocal(bus, Subscription.class);
        registerLocal(bus, ScanRequest.class);
        registerLocal(bus, ScanOpened.class);
    }

    private static <T> void registerLocal(EventBus bus, Class<T> type) {
        bus.registerDefaultCodec(type, new LocalCodec<>(type));
    }
}
