/**
 * Configuration keys with their defaults and documentation side by side.
 */
package io.kalamdb.engine.config;
