/**
 * Live queries over WebSocket ({@code GET /v1/ws}, reference section 3): authentication, the client messages,
 * the server frames, per-connection outbound queues with the slow-subscriber policy, heartbeat and shutdown.
 */
package io.kalamdb.server.ws;
