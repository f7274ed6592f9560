package io.kalamdb.server.ws;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * One frame ready to write: a JSON text frame, or the same JSON gzip'd in a binary frame (reference 3.7: JSON of
 * at least {@value #COMPRESS_MIN_BYTES} bytes is gzip'd at the fast level and sent binary when that is smaller).
 *
 * @param owner the subscription the frame belongs to, or null for connection-level frames
 * @param seq   the {@code _seq} the client has seen once this frame is delivered, or -1
 */
record OutboundFrame(ClientSubscription owner, String text, byte[] binary, long seq) {
    static final int COMPRESS_MIN_BYTES = 512;

    OutboundFrame {
        if ((text == null) == (binary == null)) {
            throw new IllegalArgumentException("a frame is either text or binary");
        }
    }

    static OutboundFrame of(ClientSubscription owner, byte[] json, boolean compress, long seq) {
        requireNonNull(json, "json is null");
        if (compress && json.length >= COMPRESS_MIN_BYTES) {
            byte[] gzipped = gzip(json);
            if (gzipped.length < json.length) {
                return new OutboundFrame(owner, null, gzipped, seq);
            }
        }
        return new OutboundFrame(owner, new String(json, StandardCharsets.UTF_8), null, seq);
    }

    boolean isBinary() {
        return binary != null;
    }

    private static byte[] gzip(byte[] json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 2 + 32);
        try (GZIPOutputStream gzip = new FastGzip(out)) {
            gzip.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A gzip stream at {@link Deflater#BEST_SPEED}. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(ByteArrayOutputStream out) throws IOException {
            super(out, 8192);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
