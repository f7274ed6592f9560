/**
 * The engine side of the event bus: {@link io.kalamdb.server.engine.EngineVerticle}, a worker verticle and the
 * only place that calls {@code KalamEngine}.
 */
package io.kalamdb.server.engine;
