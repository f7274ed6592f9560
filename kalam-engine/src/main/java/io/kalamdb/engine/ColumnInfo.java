package io.kalamdb.engine;

import io.kalamdb.engine.catalog.KalamType;

import java.util.List;

/**
 * One column of a rows result: its label, its KalamDB type and its flags ({@code pk}, {@code nn}, {@code uq}).
 */
public record ColumnInfo(String name, KalamType type, List<String> flags) {

    public ColumnInfo {
        flags = List.copyOf(flags);
    }
}
