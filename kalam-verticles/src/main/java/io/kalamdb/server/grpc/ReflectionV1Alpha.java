package io.kalamdb.server.grpc;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.reflection.ReflectionService;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.Service;

import java.util.List;

/**
 * Serves server reflection also under its older name {@code grpc.reflection.v1alpha.ServerReflection}, which many
 * tools still call (grpcurl falls back to it, grpc-reflection-js uses only it). Vert.x serves only {@code v1}; the
 * two protocols have the same messages, so the {@code v1} handlers are bound a second time under the old name.
 */
final class ReflectionV1Alpha {
    private static final ServiceName V1ALPHA = ServiceName.create("grpc.reflection.v1alpha", "ServerReflection");

    private ReflectionV1Alpha() {
    }

    static void bind(GrpcServer server) {
        ReflectionService.v1().bind(new Renaming(server));
    }

    /** A server that binds each handler given to it under the v1alpha service name. */
    private static final class Renaming implements GrpcServer {
        private final GrpcServer server;

        Renaming(GrpcServer server) {
            this.server = server;
        }

        @Override
        public void handle(HttpServerRequest request) {
            server.handle(request);
        }

        @Override
        public GrpcServer callHandler(Handler<GrpcServerRequest<Buffer, Buffer>> handler) {
            throw new UnsupportedOperationException("only service methods are renamed");
        }

        @Override
        public <Req, Resp> GrpcServer callHandler(ServiceMethod<Req, Resp> method,
                                                  Handler<GrpcServerRequest<Req, Resp>> handler) {
            server.callHandler(ServiceMethod.server(V1ALPHA, method.methodName(), method.encoder(),
                    method.decoder()), handler);
            return this;
        }

        @Override
        public GrpcServer addService(Service service) {
            throw new UnsupportedOperationException("only service methods are renamed");
        }

        @Override
        public List<Service> services() {
            return server.services();
        }
    }
}
