package io.kalamdb.server.http;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.api.KalamService;
import io.kalamdb.engine.api.Principal;
import io.kalamdb.engine.api.TopicAckRequest;
import io.kalamdb.engine.api.TopicConsumeReply;
import io.kalamdb.engine.api.TopicConsumeRequest;
import io.kalamdb.engine.topic.ConsumeResult;
import io.kalamdb.engine.topic.TopicMessage;
import io.kalamdb.server.auth.BearerAuthenticator;
import io.kalamdb.server.bus.EngineCalls;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Base64;

/**
 * {@code POST /v1/api/topics/consume} and {@code /ack} (reference 2.6): explicit acks, claims with a visibility
 * timeout, and — unlike the reference — a real long poll: with {@code timeout_seconds} an empty answer waits
 * until a message arrives or the time is up.
 */
public final class TopicsHandler {
    private final Vertx vertx;
    private final KalamService engine;
    private final BearerAuthenticator authenticator;

    public TopicsHandler(Vertx vertx, KalamService engine, BearerAuthenticator authenticator) {
        this.vertx = requireNonNull(vertx, "vertx is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
    }

    void consume(RoutingContext ctx) {
        long start = System.nanoTime();
        authenticator.authenticate(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))
                .compose(principal -> {
                    TopicRequestParser.Consume parsed = TopicRequestParser.consume(ctx.body().buffer());
                    long deadline = System.currentTimeMillis() + parsed.timeoutSeconds() * 1000L;
                    return poll(principal, parsed, deadline);
                })
                .onSuccess(result -> Responses.json(ctx, 200, body(result)))
                .onFailure(failure -> Responses.topicError(ctx, failure, start));
    }

    /** Consumes; when empty and time remains, waits for the next message (or the deadline) and tries again. */
    private Future<ConsumeResult> poll(Principal principal, TopicRequestParser.Consume parsed, long deadline) {
        boolean mayWait = System.currentTimeMillis() < deadline;
        TopicConsumeRequest request = new TopicConsumeRequest(principal, parsed.request(), mayWait);
        return EngineCalls.future(engine.consume(request)).compose(reply -> {
            if (!reply.result().messages().isEmpty() || reply.newMessages() == null) {
                return Future.succeededFuture(reply.result());
            }
            return waitFor(reply, deadline).compose(woken -> woken ? poll(principal, parsed, deadline)
                    : Future.succeededFuture(reply.result()));
        });
    }

    /** True when a message arrived before the deadline, false on time-out. */
    private Future<Boolean> waitFor(TopicConsumeReply reply, long deadline) {
        Promise<Boolean> promise = Promise.promise();
        long delay = Math.max(1, deadline - System.currentTimeMillis());
        long timer = vertx.setTimer(delay, id -> {
            reply.newMessages().cancel(false);
            promise.tryComplete(false);
        });
        var context = vertx.getOrCreateContext();
        reply.newMessages().whenComplete((v, e) -> context.runOnContext(x -> {
            vertx.cancelTimer(timer);
            promise.tryComplete(e == null);
        }));
        return promise.future();
    }

    void ack(RoutingContext ctx) {
        long start = System.nanoTime();
        authenticator.authenticate(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))
                .compose(principal -> {
                    TopicRequestParser.Ack parsed = TopicRequestParser.ack(ctx.body().buffer());
                    return EngineCalls.future(engine.ack(new TopicAckRequest(principal, parsed.topic(),
                            parsed.group(), parsed.partition(), parsed.offset(), parsed.consumer())));
                })
                .onSuccess(committed -> Responses.json(ctx, 200, new JsonObject().put("success", true)
                        .put("acknowledged_offset", committed)))
                .onFailure(failure -> Responses.topicError(ctx, failure, start));
    }

    /**
     * Consume for another transport (gRPC), the caller already authenticated: {@code body} is what the HTTP body
     * would be, the answer what HTTP would send. Invalid input fails the future with a {@code KalamException}.
     */
    public Future<JsonObject> consume(Principal principal, JsonObject body) {
        TopicRequestParser.Consume parsed = TopicRequestParser.consume(body.toBuffer());
        long deadline = System.currentTimeMillis() + parsed.timeoutSeconds() * 1000L;
        return poll(principal, parsed, deadline).map(TopicsHandler::body);
    }

    /** Ack for another transport (gRPC), as {@link #consume(Principal, JsonObject)}. */
    public Future<JsonObject> ack(Principal principal, JsonObject body) {
        TopicRequestParser.Ack parsed = TopicRequestParser.ack(body.toBuffer());
        return EngineCalls.future(engine.ack(new TopicAckRequest(principal, parsed.topic(), parsed.group(),
                        parsed.partition(), parsed.offset(), parsed.consumer())))
                .map(committed -> new JsonObject().put("success", true).put("acknowledged_offset", committed));
    }

    static JsonObject body(ConsumeResult result) {
        JsonArray messages = new JsonArray();
        for (TopicMessage m : result.messages()) {
            JsonObject o = new JsonObject().put("topic_id", m.topic()).put("partition_id", m.partition())
                    .put("offset", m.offset()).put("payload", Base64.getEncoder().encodeToString(m.payload()))
                    .put("key", m.key()).put("timestamp_ms", m.timestampMs());
            if (m.userId() != null) {
                o.put("user", m.userId());
            }
            o.put("op", m.op().wireName());
            messages.add(o);
        }
        return new JsonObject().put("messages", messages).put("next_offset", result.nextOffset())
                .put("has_more", result.hasMore());
    }
}
