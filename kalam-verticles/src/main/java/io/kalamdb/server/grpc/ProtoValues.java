package io.kalamdb.server.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;

import io.kalamdb.engine.error.KalamException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Converts between JSON trees and {@code google.protobuf.Value}, so that gRPC rows and parameters follow the JSON
 * encoding rules of HTTP exactly (BIGINT as string, TIMESTAMP as microseconds): rows are first written by the same
 * writer as HTTP, then carried over value by value.
 */
final class ProtoValues {
    static final ObjectMapper JSON = new ObjectMapper();

    private ProtoValues() {
    }

    /** Parses JSON bytes (a body written for HTTP) into a tree. */
    static JsonNode parse(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Value toValue(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
        }
        if (node.isTextual()) {
            return Value.newBuilder().setStringValue(node.textValue()).build();
        }
        if (node.isBoolean()) {
            return Value.newBuilder().setBoolValue(node.booleanValue()).build();
        }
        if (node.isNumber()) {
            return Value.newBuilder().setNumberValue(node.doubleValue()).build();
        }
        if (node.isArray()) {
            return Value.newBuilder().setListValue(toList(node)).build();
        }
        if (node.isObject()) {
            return Value.newBuilder().setStructValue(toStruct(node)).build();
        }
        return Value.newBuilder().setStringValue(node.asText()).build();
    }

    static ListValue toList(JsonNode array) {
        ListValue.Builder list = ListValue.newBuilder();
        for (JsonNode element : array) {
            list.addValues(toValue(element));
        }
        return list.build();
    }

    static Struct toStruct(JsonNode object) {
        Struct.Builder struct = Struct.newBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            struct.putFields(field.getKey(), toValue(field.getValue()));
        }
        return struct.build();
    }

    /**
     * The parameters of a statement as the engine takes them, with the rules of HTTP's JSON parameters: a whole
     * number is a long (a double number value that has no fraction is taken as whole, since protobuf numbers are
     * doubles), other numbers are doubles, lists and structs are their JSON text.
     */
    static List<Object> params(List<Value> params) {
        if (params.isEmpty()) {
            return List.of();
        }
        List<Object> values = new ArrayList<>(params.size());
        for (Value param : params) {
            values.add(param(param));
        }
        return Collections.unmodifiableList(values);
    }

    private static Object param(Value value) {
        return switch (value.getKindCase()) {
            case NULL_VALUE, KIND_NOT_SET -> null;
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> value.getBoolValue();
            case NUMBER_VALUE -> number(value.getNumberValue());
            case LIST_VALUE, STRUCT_VALUE -> toJson(value).toString();
        };
    }

    private static Object number(double number) {
        if (Double.isNaN(number) || Double.isInfinite(number)) {
            throw KalamException.invalidInput("a parameter is not a finite number: " + number);
        }
        if (number == Math.rint(number) && Math.abs(number) < 0x1p63) {
            return (long) number;
        }
        return number;
    }

    private static JsonNode toJson(Value value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (value.getKindCase()) {
            case NULL_VALUE, KIND_NOT_SET -> nodes.nullNode();
            case STRING_VALUE -> nodes.textNode(value.getStringValue());
            case BOOL_VALUE -> nodes.booleanNode(value.getBoolValue());
            case NUMBER_VALUE -> {
                Object n = number(value.getNumberValue());
                yield n instanceof Long l ? nodes.numberNode(l) : nodes.numberNode(BigDecimal.valueOf((Double) n));
            }
            case LIST_VALUE -> {
                ArrayNode array = nodes.arrayNode();
                value.getListValue().getValuesList().forEach(v -> array.add(toJson(v)));
                yield array;
            }
            case STRUCT_VALUE -> {
                ObjectNode object = nodes.objectNode();
                value.getStructValue().getFieldsMap().forEach((k, v) -> object.set(k, toJson(v)));
                yield object;
            }
        };
    }
}
