package io.kalamdb.engine.catalog;

/** A namespace (schema) that holds tables. */
public record NamespaceDef(String name, long createdAtMicros, String description) {
}
