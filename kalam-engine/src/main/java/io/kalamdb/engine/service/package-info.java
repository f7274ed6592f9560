/**
 * The in-process implementation of the engine API ({@link io.kalamdb.engine.service.LocalKalamService}): session
 * resolution, authorisation of every operation, statement timeouts by role. Internal: front ends use
 * {@code io.kalamdb.engine.api}.
 */
package io.kalamdb.engine.service;
