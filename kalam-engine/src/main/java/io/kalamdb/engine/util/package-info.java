/**
 * Small shared helpers: id generators, JSON, wire encoding of row values.
 */
package io.kalamdb.engine.util;
