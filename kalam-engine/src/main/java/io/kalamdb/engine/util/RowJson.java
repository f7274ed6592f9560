package io.kalamdb.engine.util;

import com.fasterxml.jackson.core.JsonGenerator;

import io.kalamdb.engine.catalog.KalamType;

import java.io.IOException;
import java.math.BigDecimal;

/**
 * Writes stored values with the wire encoding of KalamDB rows: BIGINT and DECIMAL as strings, timestamps as
 * integer microseconds, dates as integer days, bytes as arrays of byte numbers, everything else natural.
 */
public final class RowJson {
    private RowJson() {
    }

    public static void writeValue(JsonGenerator g, KalamType type, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
            return;
        }
        switch (type.kind()) {
            case BIGINT -> g.writeString(v.toString());
            case DECIMAL -> g.writeString(((BigDecimal) v).toPlainString());
            case BOOLEAN -> g.writeBoolean((Boolean) v);
            case SMALLINT, INT, DATE -> g.writeNumber(((Number) v).intValue());
            case TIMESTAMP, DATETIME, TIME -> g.writeNumber(((Number) v).longValue());
            case FLOAT -> g.writeNumber(((Number) v).floatValue());
            case DOUBLE -> g.writeNumber(((Number) v).doubleValue());
            case BYTES -> {
                byte[] b = (byte[]) v;
                g.writeStartArray();
                for (byte x : b) {
                    g.writeNumber(x & 0xff);
                }
                g.writeEndArray();
            }
            case TEXT, JSON, UUID -> g.writeString(v.toString());
        }
    }
}
