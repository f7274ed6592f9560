/**
 * What travels on the event bus between the HTTP verticles and the engine worker: request and reply records,
 * the local no-copy codec, the failure that carries a {@code KalamException}, and {@link
 * io.kalamdb.server.bus.EngineClient}, the typed way to call the engine from an event loop.
 */
package io.kalamdb.server.bus;
