package io.kalamdb.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads the body of {@code POST /v1/api/sql}: {@code {"sql": …, "params": [...]?, "namespace_id": …?}}.
 *
 * <p>Parameters become Java values: a JSON integer a Long (a BigDecimal beyond 64 bits), any other number a
 * Double, strings, booleans and null as themselves, and an array or object its JSON text (for JSON columns).
 */
final class SqlRequestParser {
    static final String DEFAULT_NAMESPACE = "default";

    private SqlRequestParser() {
    }

    /** One parsed request. */
    record ParsedSql(String sql, List<Object> params, String namespace) {
    }

    static ParsedSql parse(Buffer body) {
        ObjectNode node = JsonBodies.object(body);
        String sql = JsonBodies.requiredString(node, "sql");
        String namespace = JsonBodies.optionalString(node, "namespace_id");
        return new ParsedSql(sql, params(node.get("params")),
                namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace);
    }

    private static List<Object> params(JsonNode params) {
        if (params == null || params.isNull()) {
            return List.of();
        }
        if (!params.isArray()) {
            throw JsonBodies.invalid("invalid type for field `params`, expected an array");
        }
        List<Object> values = new ArrayList<>(params.size());
        for (JsonNode param : params) {
            values.add(valueOf(param));
        }
        return Collections.unmodifiableList(values);
    }

    private static Object valueOf(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.decimalValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return node.toString();
    }
}
