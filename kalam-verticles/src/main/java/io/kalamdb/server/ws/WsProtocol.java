package io.kalamdb.server.ws;

import static java.util.Objects.requireNonNull;

import io.vertx.core.json.JsonObject;

import java.util.Locale;

/**
 * The protocol options a client negotiates (reference 3.2): serialization {@code json} or {@code msgpack} and
 * compression {@code gzip} or {@code none}. Only json is served; compression gzips large outgoing frames.
 */
record WsProtocol(String serialization, String compression) {
    static final String JSON = "json";
    static final String GZIP = "gzip";
    static final String NONE = "none";
    static final WsProtocol DEFAULT = new WsProtocol(JSON, GZIP);

    WsProtocol {
        requireNonNull(serialization, "serialization is null");
        requireNonNull(compression, "compression is null");
    }

    /** From an {@code authenticate} message's {@code protocol} object; absent parts take the defaults. */
    static WsProtocol of(JsonObject protocol) {
        if (protocol == null) {
            return DEFAULT;
        }
        return of(stringOrNull(protocol.getValue("serialization")), stringOrNull(protocol.getValue("compression")));
    }

    /** From the upgrade's {@code serialization} and {@code compression} query parameters (each may be null). */
    static WsProtocol of(String serialization, String compression) {
        return new WsProtocol(serialization == null ? JSON : serialization.trim().toLowerCase(Locale.ROOT),
                compression == null ? GZIP : compression.trim().toLowerCase(Locale.ROOT));
    }

    /** Why this server cannot speak it, or null when it can. */
    String unsupportedReason() {
        if (!serialization.equals(JSON)) {
            return "Unsupported serialization: " + serialization + " (this server speaks json)";
        }
        if (!compression.equals(GZIP) && !compression.equals(NONE)) {
            return "Unsupported compression: " + compression + " (gzip or none)";
        }
        return null;
    }

    boolean isGzip() {
        return compression.equals(GZIP);
    }

    JsonObject toJson() {
        return new JsonObject().put("serialization", serialization).put("compression", compression);
    }

    private static String stringOrNull(Object value) {
        return value instanceof String s ? s : null;
    }
}
