package io.kalamdb.server.ws;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.kalamdb.engine.ColumnInfo;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.live.InitialBatch;
import io.kalamdb.engine.live.LiveChange;
import io.kalamdb.engine.util.RowJson;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the JSON (UTF-8 bytes) of the server's frames (reference 3.2, 3.4) with Jackson's streaming generator: rows as objects
 * keyed by column name with the wire encoding of {@link RowJson} (BIGINT and {@code _seq} as strings), and
 * {@code last_seq_id} as a plain JSON number.
 */
final class ServerFrames {
    private static final JsonFactory JSON = new JsonFactory();

    private ServerFrames() {
    }

    static byte[] authSuccess(String user, String role, WsProtocol protocol) {
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("type", "auth_success");
            json.writeStringField("user", user);
            json.writeStringField("role", role);
            json.writeObjectFieldStart("protocol");
            json.writeStringField("serialization", protocol.serialization());
            json.writeStringField("compression", protocol.compression());
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    static byte[] authError(String message) {
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("type", "auth_error");
            json.writeStringField("message", message);
            json.writeEndObject();
        });
    }

    static byte[] error(String subscriptionId, String code, String message) {
        return write(json -> {
            writeErrorFields(json, subscriptionId, code, message);
            json.writeEndObject();
        });
    }

    /** Opens an {@code error} frame object and writes its common fields. */
    private static void writeErrorFields(JsonGenerator json, String subscriptionId, String code, String message)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "error");
        json.writeStringField("subscription_id", subscriptionId);
        json.writeStringField("code", code);
        json.writeStringField("message", message);
    }

    /** PROTOCOL deviation 1: the subscription ended because its client fell behind; resume after {@code _seq}. */
    static byte[] lagging(String subscriptionId, String message, long resumeFrom) {
        return write(json -> {
            writeErrorFields(json, subscriptionId, "SUBSCRIBER_LAGGING", message);
            json.writeStringField("resume_from", Long.toString(resumeFrom));
            json.writeEndObject();
        });
    }

    /**
     * The {@code subscription_ack}. Unlike the reference (always 0), {@code total_rows} is the true number of initial
     * rows when the first batch holds them all; when more batches follow it is left out rather than guessed, since
     * counting them would read the whole snapshot before the first row goes out.
     */
    static byte[] subscriptionAck(String subscriptionId, InitialBatch first, List<ColumnInfo> schema) {
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("type", "subscription_ack");
            json.writeStringField("subscription_id", subscriptionId);
            if (!first.hasMore()) {
                json.writeNumberField("total_rows", first.rows().size());
            }
            writeBatchControl(json, first);
            json.writeFieldName("schema");
            RowJson.writeSchema(json, schema);
            json.writeEndObject();
        });
    }

    static byte[] initialBatch(String subscriptionId, InitialBatch batch, Map<String, KalamType> types) {
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("type", "initial_data_batch");
            json.writeStringField("subscription_id", subscriptionId);
            writeRows(json, "rows", batch.rows(), types);
            writeBatchControl(json, batch);
            json.writeEndObject();
        });
    }

    static byte[] change(String subscriptionId, LiveChange change, Map<String, KalamType> types) {
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("type", "change");
            json.writeStringField("subscription_id", subscriptionId);
            json.writeStringField("change_type", change.type().name().toLowerCase(Locale.ROOT));
            if (change.rows() != null) {
                writeRows(json, "rows", change.rows(), types);
            }
            if (change.oldValues() != null) {
                writeRows(json, "old_values", change.oldValues(), types);
            }
            json.writeEndObject();
        });
    }

    private static void writeBatchControl(JsonGenerator json, InitialBatch batch) throws IOException {
        json.writeObjectFieldStart("batch_control");
        json.writeNumberField("batch_num", batch.batchNum());
        json.writeBooleanField("has_more", batch.hasMore());
        json.writeStringField("status", batch.status());
        json.writeFieldName("last_seq_id");
        if (batch.lastSeqId() == null) {
            json.writeNull();
        } else {
            json.writeNumber(batch.lastSeqId().longValue());
        }
        json.writeEndObject();
    }

    private static void writeRows(JsonGenerator json, String field, List<Map<String, Object>> rows,
                                  Map<String, KalamType> types) throws IOException {
        json.writeArrayFieldStart(field);
        for (Map<String, Object> row : rows) {
            json.writeStartObject();
            for (Map.Entry<String, Object> value : row.entrySet()) {
                json.writeFieldName(value.getKey());
                RowJson.writeValue(json, types.getOrDefault(value.getKey(), KalamType.TEXT), value.getValue());
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
