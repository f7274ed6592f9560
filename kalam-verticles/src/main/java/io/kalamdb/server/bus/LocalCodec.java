package io.kalamdb.server.bus;

import static java.util.Objects.requireNonNull;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * An event-bus codec for objects that never leave the JVM: delivery hands over the same instance, no copy.
 * Sending such an object to a remote node fails.
 *
 * @param <T> the message type
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {
    private final String name;

    public LocalCodec(Class<T> type) {
        this.name = "local:" + requireNonNull(type, "type is null").getName();
    }

    @Override
    public void encodeToWire(Buffer buffer, T value) {
        throw new UnsupportedOperationException("local-only message cannot be sent over the wire [codec=" + name + "]");
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
        throw new UnsupportedOperationException("local-only message cannot be read from the wire [codec=" + name + "]");
    }

    @Override
    public T transform(T value) {
        return value;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
