/**
 * The engine side of the event bus: {@link io.kalamdb.server.engine.KalamServiceVerticle} binds the addresses to
 * the in-process {@code KalamService}, and {@link io.kalamdb.server.engine.EngineWorkers} is the thread pool it
 * runs the engine work on.
 */
package io.kalamdb.server.engine;
