package io.kalamdb.server.grpc;

import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.server.bus.EngineCalls;
import io.kalamdb.server.error.ClientMessages;
import io.kalamdb.server.error.ErrorMapper;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerResponse;

import java.nio.charset.StandardCharsets;

/**
 * Ends a failed gRPC call: the status from {@link ErrorMapper#grpcStatus}, the message HTTP would give, and the
 * KalamDB code in the trailer {@value #CODE_TRAILER} (PROTOCOL.md).
 */
final class GrpcErrors {
    /** The trailer that carries the KalamDB error code of a failed call. */
    static final String CODE_TRAILER = "kalamdb-error-code";
    private static final String MESSAGE_TRAILER = "grpc-message";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private GrpcErrors() {
    }

    /** Ends the call with the failure of a protected call (unknown failures become INTERNAL_ERROR). */
    static void fail(GrpcServerResponse<?, ?> response, Throwable failure) {
        KalamException error = EngineCalls.unwrap(failure);
        end(response, error.code(), ClientMessages.of(error));
    }

    /** Ends the call with the failure of Login, worded as {@code POST /v1/api/auth/login} words it. */
    static void failLogin(GrpcServerResponse<?, ?> response, Throwable failure) {
        KalamException error = EngineCalls.unwrap(failure);
        String message = switch (error.code()) {
            case INVALID_CREDENTIALS, MISSING_AUTHORIZATION, TOKEN_EXPIRED ->
                    error.getMessage().isBlank() ? "Invalid credentials" : error.getMessage();
            case SETUP_REQUIRED -> "Server requires initial setup. Root password is not configured.";
            case INTERNAL_ERROR, AUTHENTICATION_ERROR -> "Internal server error";
            default -> ClientMessages.of(error);
        };
        end(response, error.code(), message);
    }

    /**
     * The {@code grpc-message} form of a message (gRPC over HTTP/2 spec): UTF-8, with every byte outside printable
     * ASCII, and {@code %} itself, written as {@code %XX}.
     */
    static String percentEncode(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (c >= 0x20 && c <= 0x7E && c != '%') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    static void end(GrpcServerResponse<?, ?> response, KalamErrorCode code, String message) {
        try {
            response.status(GrpcStatus.valueOf(ErrorMapper.grpcStatus(code).name()));
            // not statusMessage(): Vert.x would percent-encode every reserved character (':' as %3A), which
            // clients that decode only what the gRPC spec encodes (grpc-js) show as is
            response.trailers().set(MESSAGE_TRAILER, percentEncode(message));
            response.trailers().set(CODE_TRAILER, code.name());
            response.end();
        } catch (IllegalStateException alreadyEnded) {
            // the client cancelled, or the deadline ended the call: nobody is left to tell
        }
    }
}
