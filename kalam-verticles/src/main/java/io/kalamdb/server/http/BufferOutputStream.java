package io.kalamdb.server.http;

import static java.util.Objects.requireNonNull;

import io.vertx.core.buffer.Buffer;

import java.io.OutputStream;

/**
 * An {@link OutputStream} that appends to a Vert.x {@link Buffer}, so Jackson can write a response body in place.
 */
final class BufferOutputStream extends OutputStream {
    private final Buffer buffer;

    BufferOutputStream(Buffer buffer) {
        this.buffer = requireNonNull(buffer, "buffer is null");
    }

    @Override
    public void write(int b) {
        buffer.appendByte((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        buffer.appendBytes(bytes, offset, length);
    }
}
