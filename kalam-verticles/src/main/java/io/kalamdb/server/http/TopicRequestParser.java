package io.kalamdb.server.http;

import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.topic.ConsumeRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.Locale;

/** Reads and checks the bodies of {@code /v1/api/topics/consume} and {@code /ack} (reference 2.6). */
final class TopicRequestParser {
    static final int MAX_LIMIT = 10_000;
    static final int MAX_TIMEOUT_SECONDS = 60;

    private TopicRequestParser() {
    }

    /** A consume body: the engine request and how long to wait for messages (0 = answer at once). */
    record Consume(ConsumeRequest request, int timeoutSeconds) {
    }

    /** An ack body; {@code consumer} null when the body names none (the caller's user then). */
    record Ack(String topic, String group, int partition, long offset, String consumer) {
    }

    static JsonObject object(Buffer body) {
        if (body == null || body.length() == 0) {
            throw invalid("a JSON body is required");
        }
        try {
            return new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            throw invalid("Invalid JSON payload: " + e.getMessage());
        }
    }

    static Consume consume(Buffer body) {
        JsonObject json = object(body);
        String topic = topic(json);
        String group = optionalString(json, "group_id");
        Integer partition = json.containsKey("partition_id") ? (int) number(json, "partition_id", 0, 1024) : 0;
        long limit = json.containsKey("limit") ? number(json, "limit", 1, MAX_LIMIT) : 100;
        int timeout = json.containsKey("timeout_seconds") ? (int) number(json, "timeout_seconds", 0,
                MAX_TIMEOUT_SECONDS) : 0;
        ConsumeRequest.Start start = ConsumeRequest.Start.LATEST;
        long offset = 0;
        Object s = json.getValue("start");
        if (s instanceof String word) {
            start = switch (word.toLowerCase(Locale.ROOT)) {
                case "latest" -> ConsumeRequest.Start.LATEST;
                case "earliest" -> ConsumeRequest.Start.EARLIEST;
                default -> throw invalid("start must be \"Latest\", \"Earliest\" or {\"Offset\": n} [start=" + word
                        + "]");
            };
        } else if (s instanceof JsonObject o) {
            Object n = o.containsKey("Offset") ? o.getValue("Offset") : o.getValue("offset");
            if (!(n instanceof Number number) || number.longValue() < 0) {
                throw invalid("start {\"Offset\": n} needs a non-negative integer offset [start=" + o.encode() + "]");
            }
            start = ConsumeRequest.Start.OFFSET;
            offset = number.longValue();
        } else if (s != null) {
            throw invalid("start must be \"Latest\", \"Earliest\" or {\"Offset\": n}");
        }
        String consumer = consumer(json);
        return new Consume(new ConsumeRequest(topic, group, partition, start, offset, (int) limit, group != null,
                false, consumer), timeout);
    }

    static Ack ack(Buffer body) {
        JsonObject json = object(body);
        String topic = topic(json);
        String group = optionalString(json, "group_id");
        if (group == null) {
            throw invalid("group_id is required");
        }
        int partition = json.containsKey("partition_id") ? (int) number(json, "partition_id", 0, 1024) : 0;
        if (!json.containsKey("upto_offset")) {
            throw invalid("upto_offset is required");
        }
        long offset = number(json, "upto_offset", 0, Long.MAX_VALUE);
        return new Ack(topic, group, partition, offset, consumer(json));
    }

    /**
     * The optional {@code consumer_id} (an extension of the reference): which consumer of the group is calling.
     * An ack acknowledges only what this consumer was given (ADR 0012).
     */
    private static String consumer(JsonObject json) {
        String consumer = optionalString(json, "consumer_id");
        if (consumer != null && consumer.length() > 256) {
            throw invalid("consumer_id is too long [length=" + consumer.length() + ", max=256]");
        }
        return consumer;
    }

    private static String topic(JsonObject json) {
        String topic = optionalString(json, "topic_id");
        if (topic == null) {
            throw invalid("topic_id is required");
        }
        int dot = topic.indexOf('.');
        if (dot <= 0 || dot == topic.length() - 1 || topic.indexOf('.', dot + 1) >= 0) {
            throw invalid("Topic name must be namespace-qualified: <namespace>.<topic> [topic_id=" + topic + "]");
        }
        return topic;
    }

    private static String optionalString(JsonObject json, String key) {
        Object v = json.getValue(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s) || s.isBlank()) {
            throw invalid(key + " must be a non-empty string");
        }
        return s;
    }

    private static long number(JsonObject json, String key, long min, long max) {
        Object v = json.getValue(key);
        if (!(v instanceof Number n) || n.doubleValue() != Math.floor(n.doubleValue())) {
            throw invalid(key + " must be an integer [" + key + "=" + v + "]");
        }
        long l = n.longValue();
        if (l < min || l > max) {
            throw invalid(key + " out of range [" + key + "=" + l + ", min=" + min + ", max=" + max + "]");
        }
        return l;
    }

    private static KalamException invalid(String message) {
        return new KalamException(KalamErrorCode.INVALID_INPUT, message);
    }
}
