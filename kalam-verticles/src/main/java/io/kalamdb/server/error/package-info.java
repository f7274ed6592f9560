/**
 * The edge of the error model: {@link io.kalamdb.server.error.ErrorMapper} turns a stable {@code KalamErrorCode}
 * into what a transport speaks (HTTP statuses and the auth endpoints' error kinds).
 */
package io.kalamdb.server.error;
