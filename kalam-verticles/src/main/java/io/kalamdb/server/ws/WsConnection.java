package io.kalamdb.server.ws;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.api.KalamService;
import io.kalamdb.engine.api.LiveNextBatchRequest;
import io.kalamdb.engine.api.LiveSubscribeRequest;
import io.kalamdb.engine.api.Principal;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.live.InitialBatch;
import io.kalamdb.engine.live.LiveChange;
import io.kalamdb.engine.live.Subscription;
import io.kalamdb.server.auth.BearerAuthenticator;
import io.kalamdb.server.bus.EngineCalls;
import io.kalamdb.server.error.ClientMessages;
import io.kalamdb.server.error.ErrorMapper;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live-query WebSocket (reference section 3): authentication, the client's messages, its subscriptions and
 * their frames. Everything here runs on the connection's event loop; the engine reaches it only through
 * {@link SubscriptionSink}, which hops onto that loop. A failure here closes this socket only.
 *
 * <p>It is the largest class of the package because it is the protocol's state machine: the states and the
 * handlers of each message read best side by side.
 */
final class WsConnection {
    private static final Logger LOG = LoggerFactory.getLogger(WsConnection.class);
    static final short CLOSE_NORMAL = 1000;
    static final short CLOSE_GOING_AWAY = 1001;
    static final short CLOSE_POLICY = 1008;
    static final short CLOSE_ERROR = 1011;
    /** Error code of frames ending a connection whose user was dropped, locked or got new credentials. */
    static final String AUTH_REVOKED = "AUTH_REVOKED";
    /** Error code of frames ending a connection whose token expired. */
    static final String TOKEN_EXPIRED = "TOKEN_EXPIRED";
    private static final int MAX_REASON_BYTES = 123;
    /** A client may pipeline this many messages behind authenticate; more close the socket (1008). */
    static final int MAX_HELD_DURING_AUTH = 64;

    private enum State { OPEN, AUTHENTICATING, AUTHENTICATED, CLOSED }

    private final ServerWebSocket socket;
    private final Context context;
    private final String connectionId;
    private final WsSettings settings;
    private final WsAuthenticator authenticator;
    private final KalamService engine;
    private final boolean compressAllowed;
    private final Consumer<WsConnection> onClosed;
    /** Frames in flight on a connection (undrained or not) may reach this many times the pending bound. */
    static final int IN_FLIGHT_FACTOR = 4;
    private final AtomicInteger pending = new AtomicInteger();
    private final OutboundQueue outbound;
    private final Map<String, ClientSubscription> subscriptions = new HashMap<>();

    private State state = State.OPEN;
    /** A close was started: further client frames are ignored. */
    private boolean closing;
    private Principal principal;
    private WsAuthenticator.Authenticated who;
    private WsProtocol protocol = WsProtocol.DEFAULT;
    /** Completes when the last subscribe asked for has been answered by the engine. */
    private Future<Void> subscribing = Future.succeededFuture();
    private long authTimer = -1;
    /** Fires when the token's lifetime (plus leeway) is over; re-authenticating moves it. */
    private long expiryTimer = -1;
    private volatile long lastActivityNanos = System.nanoTime();
    private final IncomingMessage incoming;
    /** Messages that arrived while authentication was in progress (bounded by {@link #MAX_HELD_DURING_AUTH}). */
    private final ArrayDeque<IncomingMessage.Complete> heldDuringAuth = new ArrayDeque<>();

    WsConnection(ServerWebSocket socket, Context context, String connectionId, WsSettings settings,
                 WsAuthenticator authenticator, KalamService engine, boolean compressAllowed,
                 Consumer<WsConnection> onClosed) {
        this.socket = requireNonNull(socket, "socket is null");
        this.context = requireNonNull(context, "context is null");
        this.connectionId = requireNonNull(connectionId, "connectionId is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.compressAllowed = compressAllowed;
        this.onClosed = requireNonNull(onClosed, "onClosed is null");
        this.outbound = new OutboundQueue(socket, pending);
        this.incoming = new IncomingMessage(settings.maxMessageBytes());
    }

    String connectionId() {
        return connectionId;
    }

    /**
     * Starts serving the socket: authenticates at once with the upgrade's {@code Authorization} header when there
     * is one, else waits for an {@code authenticate} message until the deadline.
     */
    void start(String authorization, WsProtocol upgradeProtocol) {
        socket.frameHandler(this::guarded);
        socket.pongHandler(data -> touch());
        socket.closeHandler(v -> onSocketClosed());
        socket.exceptionHandler(this::onSocketFailure);
        if (authorization != null && !authorization.isBlank()) {
            String token = BearerAuthenticator.bearerToken(authorization);
            if (token == null) {
                failAuthentication("Invalid credentials");
            } else {
                authenticate(token, upgradeProtocol);
            }
        } else {
            authTimer = context.owner().setTimer(settings.authTimeoutMs(), id -> onAuthTimeout());
        }
    }

    /**
     * A transport failure. A frame that breaks RFC 6455 (RSV bits with no negotiated extension, a bad opcode, an
     * unmasked frame) fails the connection with the protocol's close code, 1002 for most (RFC 6455 7.1.7).
     */
    private void onSocketFailure(Throwable failure) {
        LOG.debug("WebSocket failure [connection={}]", connectionId, failure);
        if (failure instanceof CorruptedWebSocketFrameException corrupted && !closing && !socket.isClosed()) {
            WebSocketCloseStatus status = corrupted.closeStatus();
            String detail = corrupted.getMessage() == null ? status.reasonText() : corrupted.getMessage();
            close((short) status.code(), "Protocol error: " + detail);
        }
    }

    /** Nanos since the last frame from the client (any frame counts, pings and pongs included). */
    long idleNanos(long now) {
        return now - lastActivityNanos;
    }

    /** Whether the socket is closed or a close was started. */
    boolean isClosing() {
        return closing || state == State.CLOSED;
    }

    /** The id of the user this socket is authenticated as, or null before authentication. */
    String userId() {
        return state == State.AUTHENTICATED && principal != null ? principal.userId() : null;
    }

    /**
     * The user's stored record changed (drop, new password or role, lock): checks the token again and, when it no
     * longer holds, ends the connection with {@code AUTH_REVOKED}.
     */
    void recheck() {
        if (state != State.AUTHENTICATED || closing) {
            return;
        }
        Principal checked = principal;
        authenticator.recheck(checked).onComplete(ar -> {
            if (ar.failed() && state == State.AUTHENTICATED && !closing) {
                if (principal == checked) {
                    end(AUTH_REVOKED, EngineCalls.unwrap(ar.cause()).getMessage(), "Credentials revoked");
                } else {
                    recheck(); // re-authenticated meanwhile: the new token must hold against the changed user too
                }
            }
        });
    }

    /**
     * Ends an authenticated connection: every subscription gets an {@code error} frame with this code (or, with
     * none open, one frame for {@code protocol}), queued frames are dropped, and the socket closes with 1008.
     */
    private void end(String code, String message, String reason) {
        List<ClientSubscription> open = new ArrayList<>(subscriptions.values());
        List<String> ids = new ArrayList<>();
        for (ClientSubscription sub : open) {
            endSubscription(sub);
            outbound.dropFramesOf(sub);
            ids.add(sub.id());
        }
        if (ids.isEmpty()) {
            ids.add("protocol");
        }
        LOG.info("WebSocket ended [connection={}, user={}, code={}]: {}", connectionId,
                principal == null ? null : principal.userId(), code, message);
        for (String id : ids) {
            outbound.writeNow(frame(null, ServerFrames.error(id, code, message), -1));
        }
        close(CLOSE_POLICY, reason);
    }

    private void scheduleExpiry(long expiresAtSeconds) {
        cancelExpiryTimer();
        long delayMs = (expiresAtSeconds + authenticator.leewaySeconds() - authenticator.nowSeconds()) * 1000L;
        expiryTimer = context.owner().setTimer(Math.max(1, delayMs), id -> {
            expiryTimer = -1;
            if (state == State.AUTHENTICATED && !closing) {
                end(TOKEN_EXPIRED, "Token expired; authenticate again with a fresh token", "Token expired");
            }
        });
    }

    private void cancelExpiryTimer() {
        if (expiryTimer >= 0) {
            context.owner().cancelTimer(expiryTimer);
            expiryTimer = -1;
        }
    }

    /** Closes the socket with a code and reason; subscriptions end when the close completes. */
    Future<Void> close(short code, String reason) {
        closing = true;
        if (socket.isClosed()) {
            onSocketClosed();
            return Future.succeededFuture();
        }
        return socket.close(code, truncate(reason)).onComplete(ar -> onSocketClosed());
    }

    // ---------- engine side (called through SubscriptionSink) ----------

    /** Runs a task on this connection's event loop, after the tasks handed over before it. */
    void onEventLoop(Runnable task) {
        context.runOnContext(v -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                fail(e);
            }
        });
    }

    /** Counts an initial-data frame (never refused: the client pulls those page by page). */
    void admitFrame() {
        pending.incrementAndGet();
    }

    /**
     * Counts a change frame, unless the client is too far behind. The verdict counts only what the client has not
     * drained (frames waiting for the socket while its write queue is full), not frames on their way through this
     * server's own event loop, so a client that reads continuously is not cut off because the server fell behind.
     * Memory stays bounded by a ceiling on all frames in flight ({@link #IN_FLIGHT_FACTOR} times the bound).
     */
    boolean tryAdmitChange() {
        int max = settings.maxPendingFrames();
        int inFlight = pending.get();
        if (outbound.undrained() >= max || inFlight >= (long) max * IN_FLIGHT_FACTOR) {
            return false;
        }
        pending.incrementAndGet();
        return true;
    }

    void onInitial(ClientSubscription sub, Subscription handle, InitialBatch batch) {
        if (sub.isEnded() || state == State.CLOSED) {
            pending.decrementAndGet();
            return;
        }
        sub.attach(handle);
        long seq = batch.lastSeqId() == null ? -1 : batch.lastSeqId();
        if (batch.batchNum() == 0) {
            // the ack carries the first batch's control and the schema; it goes out just before that batch
            outbound.add(frame(sub, ServerFrames.subscriptionAck(sub.id(), batch, handle.schema()), -1));
        }
        outbound.addCounted(frame(sub, ServerFrames.initialBatch(sub.id(), batch, sub.types()), seq));
    }

    void onChange(ClientSubscription sub, Subscription handle, LiveChange change) {
        if (sub.isEnded() || state == State.CLOSED) {
            pending.decrementAndGet();
            return;
        }
        sub.attach(handle);
        outbound.addCounted(frame(sub, ServerFrames.change(sub.id(), change, sub.types()), change.seq()));
    }

    /**
     * PROTOCOL deviation 1: the connection could not take this subscription's changes fast enough. Its queued
     * frames are dropped, the client is told where to resume ({@code resume_from}: the {@code _seq} of the last
     * frame written to the socket), and the subscription ends in the engine. Other subscriptions go on.
     */
    void onLagging(ClientSubscription sub) {
        onLagging(sub, "Subscriber too slow: more than " + settings.maxPendingFrames() + " frames pending on this "
                + "connection; resubscribe with from = resume_from");
    }

    /** Ends {@code sub} as lagging with {@code message} (see {@link #onLagging(ClientSubscription)}). */
    void onLagging(ClientSubscription sub, String message) {
        if (sub.isEnded() || state == State.CLOSED) {
            return;
        }
        endSubscription(sub);
        int dropped = outbound.dropFramesOf(sub);
        long resumeFrom = sub.resumeFrom();
        LOG.info("subscriber lagging, subscription ended [connection={}, subscription={}, droppedFrames={}, "
                + "resumeFrom={}]", connectionId, sub.id(), dropped, resumeFrom);
        outbound.writeNow(frame(null, ServerFrames.lagging(sub.id(), message, resumeFrom), -1));
    }

    /** {@code KILL LIVE QUERY}: the engine already ended it; tell the client after the frames it was sent. */
    void onKilled(ClientSubscription sub) {
        if (sub.isEnded() || state == State.CLOSED) {
            return;
        }
        sub.end();
        subscriptions.remove(sub.id(), sub);
        sendError(sub.id(), "SUBSCRIPTION_FAILED", "killed");
    }

    // ---------- client side ----------

    private void guarded(WebSocketFrame frame) {
        try {
            onFrame(frame);
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void onFrame(WebSocketFrame frame) {
        touch();
        if (state == State.CLOSED || closing) {
            return;
        }
        IncomingMessage.Complete message = incoming.accept(frame);
        if (message == null) {
            return;
        }
        if (state == State.AUTHENTICATING) {
            // pipelined behind authenticate: served in order once the outcome is known
            if (heldDuringAuth.size() >= MAX_HELD_DURING_AUTH) {
                close(CLOSE_POLICY, "Too many messages before authentication completed");
                return;
            }
            heldDuringAuth.add(message);
            return;
        }
        onMessage(message);
    }

    private void onMessage(IncomingMessage.Complete message) {
        if (message.tooLarge()) {
            sendError("protocol", "MESSAGE_TOO_LARGE", "Message too large: " + message.size()
                    + " bytes (max " + settings.maxMessageBytes() + ")");
        } else if (message.binary()) {
            sendError("protocol", "UNSUPPORTED_DATA", "Binary not supported");
        } else {
            onText(message.text());
        }
    }

    private void onText(String text) {
        ClientMessage message;
        try {
            message = ClientMessage.parse(text);
        } catch (ClientMessage.Malformed e) {
            close(CLOSE_ERROR, "Invalid message: " + e.getMessage());
            return;
        } catch (ClientMessage.Rejected e) {
            String type = e.messageType();
            if (state == State.AUTHENTICATED || !isSessionMessage(type)) {
                sendError(e.subscriptionId(), e.code(), e.getMessage());
            } else if ("subscribe".equals(type)) {
                sendError("subscribe", "AUTH_REQUIRED", "Authentication required");
            }
            return;
        }
        switch (message) {
            case ClientMessage.Authenticate auth -> onAuthenticate(auth);
            case ClientMessage.Subscribe subscribe -> onSubscribe(subscribe);
            case ClientMessage.NextBatch next -> onNextBatch(next);
            case ClientMessage.Unsubscribe unsubscribe -> onUnsubscribe(unsubscribe);
            case ClientMessage.Ping ping -> { }
        }
    }

    /** Messages that need an authenticated socket: before it, subscribe is refused and the others ignored. */
    private static boolean isSessionMessage(String type) {
        return "subscribe".equals(type) || "next_batch".equals(type) || "unsubscribe".equals(type);
    }

    private void onAuthenticate(ClientMessage.Authenticate auth) {
        if (state == State.AUTHENTICATED) {
            reauthenticate(auth.token());
            return;
        }
        if (state != State.OPEN) {
            return;
        }
        if (auth.method() != null && !auth.method().equals("jwt")) {
            failAuthentication("Unsupported authentication method: " + auth.method() + " (only jwt)");
            return;
        }
        authenticate(auth.token(), WsProtocol.of(auth.protocol()));
    }

    private void authenticate(String token, WsProtocol requested) {
        cancelAuthTimer();
        String unsupported = requested.unsupportedReason();
        if (unsupported != null) {
            failAuthentication(unsupported);
            return;
        }
        state = State.AUTHENTICATING;
        authenticator.authenticate(token).onComplete(ar -> {
            if (state != State.AUTHENTICATING) {
                return;
            }
            if (ar.failed()) {
                LOG.debug("WebSocket authentication failed [connection={}]: {}", connectionId,
                        ar.cause().getMessage());
                failAuthentication("Invalid credentials");
                return;
            }
            who = ar.result();
            principal = who.principal();
            protocol = requested;
            state = State.AUTHENTICATED;
            scheduleExpiry(who.expiresAtSeconds());
            sendAuthSuccess();
            serveHeldMessages();
        });
    }

    /**
     * {@code authenticate} on an authenticated socket: a valid token of the same user replaces the socket's token
     * (its expiry and generation) and is answered with {@code auth_success}; the same token again just gets
     * {@code auth_success} (reference 3.2); an invalid token or another user's ends the connection.
     */
    private void reauthenticate(String token) {
        if (token == null || token.isBlank()) {
            sendAuthSuccess();
            return;
        }
        Principal before = principal;
        authenticator.authenticate(token).onComplete(ar -> {
            if (state != State.AUTHENTICATED || closing || principal != before) {
                return;
            }
            if (ar.failed() || !ar.result().principal().userId().equals(before.userId())) {
                String why = ar.failed() ? EngineCalls.unwrap(ar.cause()).getMessage()
                        : "the token names another user";
                end(AUTH_REVOKED, "Re-authentication failed: " + why, "Authentication failed");
                return;
            }
            who = ar.result();
            principal = who.principal();
            scheduleExpiry(who.expiresAtSeconds());
            sendAuthSuccess();
        });
    }

    /** Serves, in arrival order, the messages the client sent while its authentication was being checked. */
    private void serveHeldMessages() {
        try {
            while (!heldDuringAuth.isEmpty() && state == State.AUTHENTICATED && !closing) {
                onMessage(heldDuringAuth.poll());
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void onSubscribe(ClientMessage.Subscribe request) {
        if (state != State.AUTHENTICATED) {
            sendError("subscribe", "AUTH_REQUIRED", "Authentication required");
            return;
        }
        String id = request.id();
        if (subscriptions.containsKey(id)) {
            sendError(id, "INVALID_SUBSCRIPTION_ID", "Subscription id already in use on this connection: " + id);
            return;
        }
        if (subscriptions.size() >= WsSettings.MAX_SUBSCRIPTIONS_PER_CONNECTION) {
            sendError(id, "UNSUPPORTED", "Maximum subscriptions (" + WsSettings.MAX_SUBSCRIPTIONS_PER_CONNECTION
                    + ") per connection exceeded");
            return;
        }
        ClientSubscription sub = new ClientSubscription(id, request.options());
        subscriptions.put(id, sub);
        // one subscribe at a time per connection, so that acks and initial data come in the order asked
        Promise<Void> done = Promise.promise();
        Future<Void> previous = subscribing;
        subscribing = done.future();
        previous.onComplete(ignored -> {
            if (sub.isEnded() || state == State.CLOSED) {
                subscriptions.remove(id, sub);
                done.complete();
                return;
            }
            try {
                EngineCalls.future(engine.subscribe(new LiveSubscribeRequest(principal, connectionId, id,
                        request.sql(), request.options(), new SubscriptionSink(this, sub)))).onComplete(ar -> {
                            try {
                                onSubscribed(sub, ar);
                            } finally {
                                done.complete();
                            }
                        });
            } catch (RuntimeException e) {
                done.complete();
                throw e;
            }
        });
    }

    private void onSubscribed(ClientSubscription sub, AsyncResult<Subscription> ar) {
        if (ar.succeeded()) {
            sub.attach(ar.result());
            if (sub.isEnded() || state == State.CLOSED) {
                unsubscribeInEngine(ar.result());
            }
            return;
        }
        subscriptions.remove(sub.id(), sub);
        if (!sub.isEnded() && state != State.CLOSED) {
            sub.end();
            KalamException error = EngineCalls.unwrap(ar.cause());
            sendError(sub.id(), ErrorMapper.wsCode(error.code()), ClientMessages.of(error));
        }
    }

    private void onNextBatch(ClientMessage.NextBatch request) {
        if (state != State.AUTHENTICATED) {
            return;
        }
        String id = request.subscriptionId();
        ClientSubscription sub = id == null ? null : subscriptions.get(id);
        if (sub == null || sub.handle() == null) {
            sendError(id == null ? "protocol" : id, "NOT_FOUND", "Subscription not found: " + id);
            return;
        }
        LiveNextBatchRequest next = new LiveNextBatchRequest(sub.handle(), request.lastSeqId());
        EngineCalls.future(engine.nextBatch(next)).onFailure(failure -> {
            if (!sub.isEnded() && state != State.CLOSED) {
                sendError(id, "BATCH_FETCH_FAILED", ClientMessages.of(EngineCalls.unwrap(failure)));
            }
        });
    }

    private void onUnsubscribe(ClientMessage.Unsubscribe request) {
        if (state != State.AUTHENTICATED || request.subscriptionId() == null) {
            return;
        }
        ClientSubscription sub = subscriptions.get(request.subscriptionId());
        if (sub != null) {
            endSubscription(sub);
            outbound.dropFramesOf(sub);
        }
    }

    // ---------- helpers ----------

    /** Ends a subscription here and in the engine (when its handle is known; else when the reply comes). */
    private void endSubscription(ClientSubscription sub) {
        sub.end();
        subscriptions.remove(sub.id(), sub);
        if (sub.handle() != null) {
            unsubscribeInEngine(sub.handle());
        }
    }

    private void unsubscribeInEngine(Subscription handle) {
        EngineCalls.future(engine.unsubscribe(handle)).onFailure(e -> LOG.debug(
                "unsubscribe failed [connection={}, live={}]", connectionId, handle.liveId(), e));
    }

    private void onAuthTimeout() {
        authTimer = -1;
        if (state == State.OPEN) {
            outbound.add(frame(null, ServerFrames.authError("Authentication timeout - no auth message received "
                    + "within " + settings.authTimeoutSecs() + " seconds"), -1));
            close(CLOSE_POLICY, "Authentication timeout");
        }
    }

    private void failAuthentication(String message) {
        cancelAuthTimer();
        heldDuringAuth.clear();
        state = State.OPEN;
        outbound.add(frame(null, ServerFrames.authError(message), -1));
        close(CLOSE_POLICY, "Authentication failed");
    }

    private void sendAuthSuccess() {
        outbound.add(frame(null, ServerFrames.authSuccess(who.user().id(), who.user().role().wireName(), protocol),
                -1));
    }

    private void sendError(String subscriptionId, String code, String message) {
        outbound.add(frame(null, ServerFrames.error(subscriptionId, code, message), -1));
    }

    private OutboundFrame frame(ClientSubscription owner, byte[] json, long seq) {
        boolean compress = compressAllowed && state == State.AUTHENTICATED && protocol.isGzip();
        return OutboundFrame.of(owner, json, compress, seq);
    }

    private void touch() {
        lastActivityNanos = System.nanoTime();
    }

    private void cancelAuthTimer() {
        if (authTimer >= 0) {
            context.owner().cancelTimer(authTimer);
            authTimer = -1;
        }
    }

    private void fail(RuntimeException e) {
        LOG.error("WebSocket connection failed [connection={}]", connectionId, e);
        close(CLOSE_ERROR, "Internal error");
    }

    /** The socket is gone: every subscription ends in the engine, queued frames are dropped. Idempotent. */
    private void onSocketClosed() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        cancelAuthTimer();
        cancelExpiryTimer();
        heldDuringAuth.clear();
        outbound.close();
        List<ClientSubscription> open = new ArrayList<>(subscriptions.values());
        subscriptions.clear();
        for (ClientSubscription sub : open) {
            sub.end();
            if (sub.handle() != null) {
                unsubscribeInEngine(sub.handle());
            }
        }
        onClosed.accept(this);
    }

    private static String truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return reason;
        }
        String cut = new String(bytes, 0, MAX_REASON_BYTES, StandardCharsets.UTF_8);
        // a multi-byte character cut in half decodes to U+FFFD (3 bytes): drop it
        while (cut.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut;
    }

    /** Assembles a client message from its frames, counting its size against the limit. */
    static final class IncomingMessage {
        private final int maxBytes;
        private Buffer data;
        private boolean binary;
        private long size;
        private boolean tooLarge;

        /** A whole message: its text, or that it was binary, or that it was over the limit. */
        record Complete(String text, boolean binary, boolean tooLarge, long size) {
        }

        IncomingMessage(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        /** Takes one frame; returns the message when this frame completes one, else null. */
        Complete accept(WebSocketFrame frame) {
            if (frame.isText() || frame.isBinary()) {
                data = Buffer.buffer();
                binary = frame.isBinary();
                size = 0;
                tooLarge = false;
            } else if (!frame.isContinuation() || data == null) {
                return null; // ping, pong, close, or a stray continuation
            }
            Buffer chunk = frame.binaryData();
            size += chunk.length();
            if (size > maxBytes) {
                tooLarge = true;
            }
            if (!tooLarge && !binary) {
                data.appendBuffer(chunk);
            }
            if (!frame.isFinal()) {
                return null;
            }
            Complete complete = new Complete(tooLarge || binary ? null : data.toString(StandardCharsets.UTF_8),
                    binary, tooLarge, size);
            data = null;
            return complete;
        }
    }
}
