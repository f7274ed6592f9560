package io.kalamdb.server.ws;

import io.kalamdb.server.ServerConfig;

/**
 * The WebSocket settings in effect, in the units the code uses.
 *
 * @param maxPendingFrames outbound frames a connection may have queued before a subscription is told to resume
 * @param maxMessageBytes  the largest client message accepted
 */
public record WsSettings(long authTimeoutMs, long clientTimeoutMs, long heartbeatIntervalMs, int maxPendingFrames,
                         int maxMessageBytes) {
    /** The hard cap of subscriptions on one connection (reference 3.5). */
    public static final int MAX_SUBSCRIPTIONS_PER_CONNECTION = 100;

    public WsSettings {
        if (authTimeoutMs < 1 || clientTimeoutMs < 1 || heartbeatIntervalMs < 1 || maxPendingFrames < 1
                || maxMessageBytes < 1) {
            throw new IllegalArgumentException("WebSocket settings must be positive");
        }
    }

    public static WsSettings of(ServerConfig config) {
        return new WsSettings(config.wsAuthTimeoutSecs() * 1000L, config.wsClientTimeoutSecs() * 1000L,
                config.wsHeartbeatIntervalSecs() * 1000L, config.wsMaxPendingFrames(), config.maxWsMessageSize());
    }

    /** Whole seconds of the auth deadline, as the timeout message says them. */
    long authTimeoutSecs() {
        return Math.max(1, authTimeoutMs / 1000);
    }

    /**
     * The frame and message limit handed to Vert.x: above ours, so that a too large message reaches us and gets
     * the {@code MESSAGE_TOO_LARGE} error instead of a protocol close (only much larger frames are cut by Vert.x).
     */
    public int transportFrameLimit() {
        long limit = Math.max(65_536L, 4L * maxMessageBytes);
        return (int) Math.min(limit, Integer.MAX_VALUE / 2);
    }
}
