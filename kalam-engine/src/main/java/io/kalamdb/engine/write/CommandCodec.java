package io.kalamdb.engine.write;

import io.kalamdb.engine.util.Json;

/** Bytes of a {@link Command} for a replicated log entry, and back. */
public final class CommandCodec {
    private CommandCodec() {
    }

    public static byte[] encode(Command command) {
        return Json.write(command);
    }

    public static Command decode(byte[] bytes) {
        return Json.read(bytes, Command.class);
    }
}
