package io.kalamdb.engine.topic;

import io.kalamdb.engine.catalog.TopicDef;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One topic message as stored and as consumers receive it. The stored value is {@code keyLength(4) key(utf8)
 * payloadLength(4) payload timestampMs(8) userIdLength(4) userId(utf8) op(1)}, big-endian, a length of -1 for a
 * null string, and the op as its frozen {@link TopicDef.Op#code()} (ADR 0006).
 */
public record TopicMessage(String topic, int partition, long offset, String key, byte[] payload, long timestampMs,
                           String userId, TopicDef.Op op) {

    /** Stored value (topic, partition and offset are in the key). */
    public byte[] encodeValue() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + 64);
            DataOutputStream out = new DataOutputStream(bytes);
            writeString(out, key);
            out.writeInt(payload.length);
            out.write(payload);
            out.writeLong(timestampMs);
            writeString(out, userId);
            out.writeByte(op.code());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TopicMessage decode(String topic, int partition, long offset, byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        String key = readString(in);
        byte[] payload = new byte[in.getInt()];
        in.get(payload);
        long ts = in.getLong();
        String user = readString(in);
        TopicDef.Op op = TopicDef.Op.fromCode(in.get());
        return new TopicMessage(topic, partition, offset, key, payload, ts, user, op);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(ByteBuffer in) {
        int len = in.getInt();
        if (len < 0) {
            return null;
        }
        String s = new String(in.array(), in.position(), len, StandardCharsets.UTF_8);
        in.position(in.position() + len);
        return s;
    }
}
