package io.kalamdb.server.engine;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.api.KalamService;
import io.kalamdb.engine.api.LiveNextBatchRequest;
import io.kalamdb.engine.api.LiveSubscribeRequest;
import io.kalamdb.engine.api.LoginRequest;
import io.kalamdb.engine.api.Principal;
import io.kalamdb.engine.api.ScanRequest;
import io.kalamdb.engine.api.SetupRequest;
import io.kalamdb.engine.api.SqlRequest;
import io.kalamdb.engine.api.TopicAckRequest;
import io.kalamdb.engine.api.TopicConsumeRequest;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.live.Subscription;
import io.kalamdb.server.Addresses;
import io.kalamdb.server.bus.EngineCalls;
import io.kalamdb.server.bus.EngineFailure;
import io.kalamdb.server.bus.ScanOpened;
import io.kalamdb.server.bus.SqlReply;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Binds the event-bus addresses to a {@link KalamService}: each request calls the service and is answered when its
 * stage completes (from whichever thread completes it: a single write replies from the write log's thread once
 * durable); a failure replies an {@link EngineFailure}. It never blocks: the in-process service runs the engine
 * work on its own executor, so the verticle runs on an event loop.
 */
public final class KalamServiceVerticle extends VerticleBase {
    private final KalamService service;
    private final List<MessageConsumer<?>> consumers = new ArrayList<>();

    public KalamServiceVerticle(KalamService service) {
        this.service = requireNonNull(service, "service is null");
    }

    @Override
    public Future<?> start() {
        this.<SqlRequest>bind(Addresses.SQL_EXECUTE, r -> service.execute(r).thenApply(SqlReply::new));
        this.<ScanRequest>bind(Addresses.SCAN_OPEN, r -> service.openScan(r).thenApply(ScanOpened::new));
        this.<TopicConsumeRequest>bind(Addresses.TOPIC_CONSUME, service::consume);
        this.<TopicAckRequest>bind(Addresses.TOPIC_ACK, service::ack);
        this.<LiveSubscribeRequest>bind(Addresses.LIVE_SUBSCRIBE, service::subscribe);
        this.<LiveNextBatchRequest>bind(Addresses.LIVE_NEXT_BATCH, service::nextBatch);
        this.<Subscription>bind(Addresses.LIVE_UNSUBSCRIBE, service::unsubscribe);
        this.<LoginRequest>bind(Addresses.AUTH_LOGIN, service::login);
        this.<Principal>bind(Addresses.AUTH_VERIFY, service::verify);
        this.<Object>bind(Addresses.AUTH_NEEDS_SETUP, ignored -> service.needsSetup());
        this.<SetupRequest>bind(Addresses.AUTH_SETUP, service::setup);
        return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
    }

    private <T> void bind(String address, Function<T, CompletionStage<?>> call) {
        consumers.add(vertx.eventBus().<T>consumer(address, message -> answer(message, call)));
    }

    private static <T> void answer(Message<T> message, Function<T, CompletionStage<?>> call) {
        CompletionStage<?> stage;
        try {
            stage = call.apply(message.body());
        } catch (RuntimeException e) {
            message.reply(new EngineFailure(EngineCalls.unwrap(e)));
            return;
        }
        stage.whenComplete((value, failure) -> message.reply(failure == null ? value
                : new EngineFailure(asKalam(failure))));
    }

    private static KalamException asKalam(Throwable failure) {
        return EngineCalls.unwrap(failure);
    }
}
