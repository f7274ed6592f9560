package io.kalamdb.engine.util;

import com.fasterxml.jackson.core.JsonGenerator;

import io.kalamdb.engine.catalog.KalamType;

import java.io.IOException;
import java.math.BigDecimal;

/**
 * Writes values with the wire encoding of KalamDB rows (reference 1.5), for HTTP results, WebSocket frames and
 * topic payloads alike: BIGINT and DECIMAL as strings, timestamps, times and dates as integers, bytes as arrays
 * of byte numbers 0-255, text-like values as strings. A value of an unexpected Java type is written as
 * faithfully as its type allows rather than failing.
 */
public final class RowJson {
    private RowJson() {
    }

    public static void writeValue(JsonGenerator json, KalamType type, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
            return;
        }
        switch (type.kind()) {
            case BOOLEAN -> {
                if (value instanceof Boolean b) {
                    json.writeBoolean(b);
                } else {
                    json.writeString(value.toString());
                }
            }
            case SMALLINT, INT, TIMESTAMP, DATETIME, TIME, DATE -> writeInteger(json, value);
            case BIGINT, DECIMAL -> json.writeString(value instanceof BigDecimal d ? d.toPlainString()
                    : value.toString());
            case FLOAT -> {
                if (value instanceof Float f) {
                    json.writeNumber(f);
                } else {
                    writeFloating(json, value);
                }
            }
            case DOUBLE -> writeFloating(json, value);
            case TEXT, JSON, UUID -> json.writeString(value.toString());
            case BYTES -> writeBytes(json, value);
        }
    }

    /**
     * Writes a schema's {@code data_type}: the type's wire name, or {@code {"Decimal":{"precision":p,"scale":s}}}
     * (the shape of {@link KalamType#wireType()}, keys in this order).
     */
    public static void writeDataType(JsonGenerator json, KalamType type) throws IOException {
        if (type.kind() != KalamType.Kind.DECIMAL) {
            json.writeString(type.kind().wireName());
            return;
        }
        json.writeStartObject();
        json.writeObjectFieldStart("Decimal");
        json.writeNumberField("precision", type.precision());
        json.writeNumberField("scale", type.scale());
        json.writeEndObject();
        json.writeEndObject();
    }

    /** Writes a result schema as the array of {@code {name, data_type, index, flags?}} entries (reference 2.4). */
    public static void writeSchema(JsonGenerator json, java.util.List<io.kalamdb.engine.ColumnInfo> schema)
            throws IOException {
        json.writeStartArray();
        for (int i = 0; i < schema.size(); i++) {
            io.kalamdb.engine.ColumnInfo column = schema.get(i);
            json.writeStartObject();
            json.writeStringField("name", column.name());
            json.writeFieldName("data_type");
            writeDataType(json, column.type());
            json.writeNumberField("index", i);
            if (!column.flags().isEmpty()) {
                json.writeArrayFieldStart("flags");
                for (String flag : column.flags()) {
                    json.writeString(flag);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void writeInteger(JsonGenerator json, Object value) throws IOException {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            json.writeNumber(((Number) value).intValue());
        } else if (value instanceof Long l) {
            json.writeNumber(l);
        } else if (value instanceof Number n) {
            json.writeNumber(n.longValue());
        } else {
            json.writeString(value.toString());
        }
    }

    private static void writeFloating(JsonGenerator json, Object value) throws IOException {
        if (value instanceof Number n) {
            json.writeNumber(n.doubleValue());
        } else {
            json.writeString(value.toString());
        }
    }

    private static void writeBytes(JsonGenerator json, Object value) throws IOException {
        if (!(value instanceof byte[] bytes)) {
            json.writeString(value.toString());
            return;
        }
        json.writeStartArray();
        for (byte b : bytes) {
            json.writeNumber(b & 0xff);
        }
        json.writeEndArray();
    }
}
