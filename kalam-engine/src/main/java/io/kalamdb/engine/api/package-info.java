/**
 * The engine's public API for front ends: {@link io.kalamdb.engine.api.KalamService} (SQL, topics, live queries,
 * auth), {@link io.kalamdb.engine.api.ScanService} (uncapped streaming scans), and their request and reply values.
 * Transport-neutral: no Vert.x, gRPC or HTTP type appears here (ADR 0015).
 */
package io.kalamdb.engine.api;
