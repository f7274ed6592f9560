package io.kalamdb.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.kalamdb.engine.ColumnInfo;
import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.util.RowJson;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes the bodies of {@code POST /v1/api/sql} (reference 2.4) with Jackson's streaming generator, straight
 * into a {@link Buffer}: {@code {"status":"success","results":[…],"took":ms}} or the error body
 * {@code {"status":"error","results":[],"took":ms,"error":{"code","message"}}}.
 */
public final class SqlResponseWriter {
    private static final JsonFactory JSON = new JsonFactory();

    private SqlResponseWriter() {
    }

    public static Buffer success(List<StatementResult> results, double tookMs) {
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("status", "success");
            json.writeArrayFieldStart("results");
            for (StatementResult result : results) {
                writeResult(json, result);
            }
            json.writeEndArray();
            json.writeNumberField("took", tookMs);
            json.writeEndObject();
        });
    }

    public static Buffer error(KalamErrorCode code, String message, double tookMs) {
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("status", "error");
            json.writeArrayFieldStart("results");
            json.writeEndArray();
            json.writeNumberField("took", tookMs);
            json.writeObjectFieldStart("error");
            json.writeStringField("code", code.name());
            json.writeStringField("message", message);
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /** Milliseconds since {@code startNanos}, rounded to 3 decimals (the {@code took} field). */
    public static double tookMs(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1_000.0) / 1_000.0;
    }

    private static void writeResult(JsonGenerator json, StatementResult result) throws IOException {
        json.writeStartObject();
        if (result.hasRows()) {
            List<ColumnInfo> schema = result.schema() == null ? List.of() : result.schema();
            writeSchema(json, schema);
            json.writeArrayFieldStart("rows");
            for (Object[] row : result.rows()) {
                json.writeStartArray(row, row.length);
                for (int i = 0; i < row.length; i++) {
                    RowJson.writeValue(json, schema.get(i).type(), row[i]);
                }
                json.writeEndArray();
            }
            json.writeEndArray();
            json.writeNumberField("row_count", result.rowCount());
            if (result.truncated()) {
                json.writeBooleanField("truncated", true);
            }
        } else {
            json.writeNumberField("row_count", result.rowCount());
            if (result.message() != null) {
                json.writeStringField("message", result.message());
            }
        }
        json.writeStringField("as_user", result.asUser());
        json.writeEndObject();
    }

    private static void writeSchema(JsonGenerator json, List<ColumnInfo> schema) throws IOException {
        json.writeFieldName("schema");
        RowJson.writeSchema(json, schema);
    }

    private interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private static Buffer write(Body body) {
        Buffer buffer = Buffer.buffer(256);
        try (JsonGenerator json = JSON.createGenerator(new BufferOutputStream(buffer))) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer;
    }
}
