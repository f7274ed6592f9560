/**
 * The embedded database: {@code KalamEngine} (open, execute, close), sessions, results and configuration.
 */
package io.kalamdb.engine;
