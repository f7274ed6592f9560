package io.kalamdb.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kalamdb.engine.error.KalamException;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.Set;

/**
 * Reads JSON request bodies into objects, failing with {@code INVALID_INPUT} "Invalid JSON payload: …" as the
 * reference does; strict readers also reject fields they do not know.
 */
final class JsonBodies {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonBodies() {
    }

    /** The body as a JSON object. */
    static ObjectNode object(Buffer body) {
        if (body == null || body.length() == 0) {
            throw invalid("empty body, expected a JSON object");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body.getBytes());
        } catch (StreamConstraintsException e) {
            throw invalid("the document is nested too deeply or a value is too long");
        } catch (JacksonException e) {
            throw invalid(e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid(e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw invalid("expected a JSON object");
        }
        return (ObjectNode) node;
    }

    /** The body as a JSON object whose fields all belong to {@code allowed}. */
    static ObjectNode strictObject(Buffer body, Set<String> allowed) {
        ObjectNode node = object(body);
        for (String field : (Iterable<String>) node::fieldNames) {
            if (!allowed.contains(field)) {
                throw invalid("unknown field `" + field + "`, expected one of " + String.join(", ", allowed));
            }
        }
        return node;
    }

    /** A string field, or null when absent or JSON null; any other type fails. */
    static String optionalString(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid("invalid type for field `" + field + "`, expected a string");
        }
        return value.textValue();
    }

    /** A string field that must be present. */
    static String requiredString(ObjectNode node, String field) {
        String value = optionalString(node, field);
        if (value == null) {
            throw invalid("missing field `" + field + "`");
        }
        return value;
    }

    static KalamException invalid(String detail) {
        return KalamException.invalidInput("Invalid JSON payload: " + detail);
    }
}
