/**
 * The HTTP API: {@link io.kalamdb.server.http.HttpApiVerticle} binds the routes, one {@code *Handler} per route
 * parses, authenticates and answers; engine work goes over the event bus, never on the event loop.
 */
package io.kalamdb.server.http;
