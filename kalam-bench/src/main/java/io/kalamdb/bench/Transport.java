package io.kalamdb.bench;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;

/**
 * How the load generator sends HTTP/1.1 requests: the JDK {@code HttpClient} (default) or a plain socket.
 *
 * <p>Each client thread opens its own {@link Channel}; a channel is used by one thread at a time.
 */
interface Transport extends Closeable {

    /** The HTTP answer: status and body text. */
    record Response(int status, String body) {
    }

    /** One client's way to the server. */
    interface Channel extends Closeable {
        /** POSTs a JSON body; {@code token} may be null. Bounded by the transport's request timeout. */
        Response post(String path, String token, String body) throws IOException;

        @Override
        void close();
    }

    Channel open() throws IOException;

    /** A short description for the printed settings. */
    String describe();

    @Override
    void close();

    static Transport create(String kind, URI base, int requestTimeoutSeconds) {
        return switch (kind) {
            case "jdk" -> new JdkHttpTransport(base, requestTimeoutSeconds);
            case "socket" -> new SocketHttpTransport(base, requestTimeoutSeconds);
            default -> throw new IllegalArgumentException("unknown transport '" + kind + "' (jdk or socket)");
        };
    }
}
