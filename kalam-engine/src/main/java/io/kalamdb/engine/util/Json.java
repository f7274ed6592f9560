package io.kalamdb.engine.util;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.kalamdb.engine.error.KalamException;

import java.io.IOException;

/**
 * The engine's one JSON mapper, for catalog records and commands. Map entries are written sorted by key, so the
 * same value always has the same bytes (commands are pinned by {@code CommandCodecGoldenTest}).
 */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private Json() {
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw KalamException.internal("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    public static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw KalamException.internal("cannot decode " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
