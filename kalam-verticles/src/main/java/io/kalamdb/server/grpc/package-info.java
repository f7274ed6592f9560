/**
 * The gRPC API ({@code kalam-proto}, PROTOCOL.md deviation 5): the service's handlers on Vert.x gRPC, the
 * conversion between protobuf messages and the engine's values, and the mapping of failures to gRPC statuses.
 */
package io.kalamdb.server.grpc;
