/**
 * What travels on the event bus between the front-end verticles and the engine: {@link
 * io.kalamdb.server.bus.EventBusKalamService} (the {@code KalamService} proxy), the local no-copy codec, the reply
 * records, the failure that carries a {@code KalamException}, and {@link io.kalamdb.server.bus.EngineCalls}, the
 * way an event-loop handler waits for a service call.
 */
package io.kalamdb.server.bus;
