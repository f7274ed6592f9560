package io.kalamdb.server.ws;

import io.kalamdb.engine.error.ErrorText;
import io.kalamdb.engine.live.SubscribeOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * A message from a WebSocket client (reference 3.3), parsed from one text message. Text that is not a JSON object
 * with a {@code type} fails with {@link Malformed} (the connection is closed 1011); a known type with bad fields
 * or an unknown type fails with {@link Rejected} (answered with an {@code error} frame).
 */
sealed interface ClientMessage {

    record Authenticate(String method, String token, JsonObject protocol) implements ClientMessage {
    }

    record Subscribe(String id, String sql, SubscribeOptions options) implements ClientMessage {
    }

    record NextBatch(String subscriptionId, Long lastSeqId) implements ClientMessage {
    }

    record Unsubscribe(String subscriptionId) implements ClientMessage {
    }

    record Ping() implements ClientMessage {
    }

    /** The text is not a message at all: the connection closes with 1011 {@code Invalid message: …}. */
    final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** A message the server refuses: answered with {@code {"type":"error",…}} and the connection stays. */
    final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String subscriptionId;
        private final String code;
        private final String messageType;

        Rejected(String subscriptionId, String code, String message) {
            this(subscriptionId, code, message, null);
        }

        private Rejected(String subscriptionId, String code, String message, String messageType) {
            super(message, null, false, false);
            this.subscriptionId = subscriptionId;
            this.code = code;
            this.messageType = messageType;
        }

        Rejected of(String type) {
            return new Rejected(subscriptionId, code, getMessage(), type);
        }

        /** The {@code type} of the rejected message. */
        String messageType() {
            return messageType;
        }

        String subscriptionId() {
            return subscriptionId;
        }

        String code() {
            return code;
        }
    }

    /** Parses one text message; a rejection carries the message's type (see {@link Rejected#messageType}). */
    static ClientMessage parse(String text) {
        JsonObject json;
        try {
            json = new JsonObject(text);
        } catch (DecodeException e) {
            String detail = firstLine(e.getMessage());
            throw new Malformed(ErrorText.looksInternal(detail) ? "expected a JSON object" : detail);
        } catch (ClassCastException e) {
            throw new Malformed("expected a JSON object");
        }
        if (!(json.getValue("type") instanceof String type)) {
            throw new Malformed("missing field `type`");
        }
        try {
            return parse(type, json);
        } catch (Rejected e) {
            throw e.of(type);
        }
    }

    private static ClientMessage parse(String type, JsonObject json) {
        return switch (type) {
            case "authenticate" -> new Authenticate(string(json, "method", "protocol"),
                    string(json, "token", "protocol"), object(json, "protocol", "protocol"));
            case "subscribe" -> subscribe(json);
            case "next_batch" -> new NextBatch(string(json, "subscription_id", "protocol"),
                    seq(json, "last_seq_id", "protocol"));
            case "unsubscribe" -> new Unsubscribe(string(json, "subscription_id", "protocol"));
            case "ping" -> new Ping();
            default -> throw new Rejected("protocol", "PROTOCOL", "Unknown message type: " + type);
        };
    }

    private static Subscribe subscribe(JsonObject json) {
        JsonObject sub = object(json, "subscription", "subscribe");
        if (sub == null) {
            throw new Rejected("subscribe", "PROTOCOL", "subscribe needs a `subscription` object");
        }
        String id = string(sub, "id", "invalid_subscription");
        if (id == null || id.isBlank()) {
            throw new Rejected("invalid_subscription", "INVALID_SUBSCRIPTION_ID", "Subscription id must not be empty");
        }
        String sql = string(sub, "sql", id);
        if (sql == null || sql.isBlank()) {
            throw new Rejected(id, "INVALID_SQL", "Subscription query must not be empty");
        }
        JsonObject options = object(sub, "options", id);
        SubscribeOptions parsed = SubscribeOptions.defaults();
        if (options != null) {
            Long from = seq(options, "from", id);
            if (from == null) {
                from = seq(options, "from_seq_id", id);
            }
            parsed = new SubscribeOptions(integer(options, "last_rows", id), integer(options, "batch_size", id),
                    from);
        }
        return new Subscribe(id, sql, parsed);
    }

    private static String string(JsonObject json, String field, String subscriptionId) {
        Object value = json.getValue(field);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new Rejected(subscriptionId, "PROTOCOL", "`" + field + "` must be a string");
    }

    private static JsonObject object(JsonObject json, String field, String subscriptionId) {
        Object value = json.getValue(field);
        if (value == null || value instanceof JsonObject) {
            return (JsonObject) value;
        }
        throw new Rejected(subscriptionId, "PROTOCOL", "`" + field + "` must be an object");
    }

    private static Integer integer(JsonObject json, String field, String subscriptionId) {
        Long value = seq(json, field, subscriptionId);
        if (value == null) {
            return null;
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new Rejected(subscriptionId, "UNSUPPORTED", "`" + field + "` is out of range [value=" + value + "]");
        }
        return value.intValue();
    }

    /** A whole number given as a JSON number or a decimal string (a {@code _seq} is a string in rows). */
    private static Long seq(JsonObject json, String field, String subscriptionId) {
        Object value = json.getValue(field);
        if (value == null) {
            return null;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return ((Number) value).longValue();
        }
        if (value instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                // fall through to the rejection
            }
        }
        throw new Rejected(subscriptionId, "PROTOCOL", "`" + field + "` must be a whole number");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "not JSON";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
