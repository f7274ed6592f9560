package io.kalamdb.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code server.toml} file into dotted keys: {@code [storage.rocksdb] sync_writes = true} becomes
 * {@code storage.rocksdb.sync_writes = "true"}; an array of plain values becomes a comma-separated string.
 */
final class TomlFlattener {
    private static final TomlMapper TOML = new TomlMapper();

    private TomlFlattener() {
    }

    /** The file's settings in file order, or a {@link StartupException} naming the path. */
    static Map<String, String> read(Path file) {
        JsonNode root;
        try {
            root = TOML.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new StartupException("configuration file not found [path=" + file.toAbsolutePath() + "]");
        } catch (JacksonException e) {
            throw new StartupException("invalid configuration file [path=" + file.toAbsolutePath() + "]: "
                    + e.getOriginalMessage().replace('\n', ' '));
        } catch (IOException e) {
            throw new StartupException("cannot read configuration file [path=" + file.toAbsolutePath() + "]: " + e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (root != null && !root.isMissingNode()) {
            flatten("", root, out, file);
        }
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, Path file) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(key, value, out, file);
            } else if (value.isArray()) {
                List<String> items = new ArrayList<>();
                for (JsonNode item : value) {
                    if (item.isContainerNode()) {
                        throw new StartupException("invalid configuration value [key=" + key + ", file="
                                + file.toAbsolutePath() + "]: expected a value or an array of plain values");
                    }
                    items.add(item.asText());
                }
                out.put(key, String.join(",", items));
            } else {
                out.put(key, value.asText());
            }
        }
    }
}
