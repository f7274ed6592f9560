package io.kalamdb.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Requests through one shared JDK {@link HttpClient} (HTTP/1.1): its pool opens one keep-alive connection
 * per request in flight, so N client threads use N connections concurrently.
 */
final class JdkHttpTransport implements Transport {

    private final URI base;
    private final Duration requestTimeout;
    private final ExecutorService executor;
    private final HttpClient client;

    JdkHttpTransport(URI base, int requestTimeoutSeconds) {
        this.base = base;
        this.requestTimeout = Duration.ofSeconds(requestTimeoutSeconds);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(executor)
                .build();
    }

    @Override
    public Channel open() {
        return new Channel() {
            @Override
            public Response post(String path, String token, String body) throws IOException {
                HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                        .timeout(requestTimeout)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
                if (token != null) {
                    request.header("Authorization", "Bearer " + token);
                }
                try {
                    HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                    return new Response(response.statusCode(), response.body());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }

            @Override
            public void close() {
                // the connections belong to the shared client's pool
            }
        };
    }

    @Override
    public String describe() {
        return "jdk (java.net.http.HttpClient, HTTP/1.1, keep-alive pool, one connection per client in flight)";
    }

    @Override
    public void close() {
        client.shutdownNow();
        executor.shutdownNow();
    }
}
