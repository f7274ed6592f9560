package io.kalamdb.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.hot.FileHashes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server ({@code bin/kalamdb-server}) on a damaged data directory: a missing {@code CURRENT}, a truncated
 * {@code MANIFEST} or a lost hot store stop start-up with one line naming the path, exit status 1 and every file
 * byte for byte as it was; flipped bytes in a table file make a query that reads them answer 500
 * {@code STORAGE_CORRUPTION}, never 200 with fewer rows.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DamagedDataDirectoryIT {
    private static final int ROWS = 3000;
    private static final int ROWS_PER_INSERT = 250;

    @TempDir
    static Path work;

    /** A data directory written by the real server and stopped cleanly (memtables flushed to table files). */
    private static Path pristine;

    @BeforeAll
    static void writeADatabase() throws Exception {
        pristine = work.resolve("pristine");
        ServerProcess server = ServerProcess.launch(pristine);
        try {
            ApiClient api = new ApiClient(server.baseUrl());
            String root = api.login("root", SqlApiIT.ROOT_PASSWORD);
            api.ok(root, "CREATE NAMESPACE keep; CREATE TABLE keep.t (id BIGINT PRIMARY KEY, body TEXT) "
                    + "WITH (TYPE='SHARED')");
            for (int first = 0; first < ROWS; first += ROWS_PER_INSERT) {
                StringBuilder insert = new StringBuilder("INSERT INTO keep.t (id, body) VALUES ");
                for (int id = first; id < first + ROWS_PER_INSERT; id++) {
                    insert.append(id == first ? "" : ", ").append('(').append(id).append(", '")
                            .append(("row " + id + " of the damaged directory test ").repeat(4)).append("')");
                }
                api.ok(root, insert.toString());
            }
            assertEquals(String.valueOf(ROWS), api.ok(root, "SELECT COUNT(*) FROM keep.t").rows(0).getJsonArray(0)
                    .getValue(0).toString());
        } finally {
            server.stop();
        }
        assertTrue(Files.readString(pristine.resolve("KALAMDB")).contains("clean_close_sequence="),
                "a clean stop records the sequence the next start must find at least");
    }

    @Test
    void aMissingCurrentFileIsRefusedAtStartAndNothingChanges() throws Exception {
        Path data = copyOfPristine("no-current");
        Files.delete(data.resolve("rocksdb/CURRENT"));
        String message = assertRefusedUntouched(data);
        assertTrue(message.contains("CURRENT"), message);
    }

    @Test
    void aTruncatedManifestIsRefusedAtStartAndNothingChanges() throws Exception {
        Path data = copyOfPristine("truncated-manifest");
        Path manifest;
        try (Stream<Path> files = Files.list(data.resolve("rocksdb"))) {
            manifest = files.filter(p -> p.getFileName().toString().startsWith("MANIFEST-")).findFirst().orElseThrow();
        }
        byte[] content = Files.readAllBytes(manifest);
        Files.write(manifest, Arrays.copyOf(content, content.length / 2));
        assertRefusedUntouched(data);
    }

    @Test
    void aLostHotStoreIsRefusedAtStartInsteadOfStartingEmpty() throws Exception {
        Path data = copyOfPristine("lost-hot-store");
        deleteTree(data.resolve("rocksdb"));
        String message = assertRefusedUntouched(data);
        assertTrue(message.contains("missing"), message);
        assertFalse(Files.exists(data.resolve("rocksdb")), "no fresh database was created");
    }

    @Test
    void flippedBytesInATableFileAnswer500NeverAShortResult() throws Exception {
        Path data = copyOfPristine("flipped-sst");
        Path sst;
        try (Stream<Path> files = Files.list(data.resolve("rocksdb"))) {
            sst = files.filter(p -> p.toString().endsWith(".sst"))
                    .max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow();
        }
        byte[] content = Files.readAllBytes(sst);
        int at = content.length / 3; // inside the data blocks; the index and filter blocks sit at the end
        for (int i = at; i < at + 8; i++) {
            content[i] ^= (byte) 0xff;
        }
        Files.write(sst, content);

        ServerProcess server = ServerProcess.launch(data);
        try {
            ApiClient api = new ApiClient(server.baseUrl());
            String root = api.login("root", SqlApiIT.ROOT_PASSWORD);
            // each must read every row: a scan that ended early at the damaged block would answer 200 with
            // a wrong count, a wrong maximum, or no match at all (which looks exactly like a right answer)
            for (String query : List.of("SELECT COUNT(*), MAX(body) FROM keep.t",
                    "SELECT id FROM keep.t WHERE body LIKE '%text in no row%'",
                    "SELECT MIN(id) FROM keep.t WHERE body <> ''")) {
                ApiClient.Reply reply = api.sql(root, query);
                assertNotEquals(200, reply.status(), query + " answered 200 over a corrupted block: "
                        + abbreviate(reply.body()));
                assertEquals(500, reply.status(), query + ": " + abbreviate(reply.body()));
                assertEquals("STORAGE_CORRUPTION", reply.errorCode(), reply.body());
                assertFalse(reply.body().contains(".sst") || reply.body().contains("Exception")
                        || reply.body().contains("\tat "), "no file path or Java text for the client: " + reply.body());
            }
            // rows in undamaged blocks are still served by point reads
            ApiClient.Reply first = api.sql(root, "SELECT id FROM keep.t WHERE id = 0");
            assertTrue(first.status() == 200 || "STORAGE_CORRUPTION".equals(first.errorCode()), first.body());
        } finally {
            server.stop();
        }
        assertTrue(Files.exists(sst), "the damaged table file was not deleted");
    }

    /** Starts the server on {@code data}: it must exit 1 with one stderr line naming the path, files unchanged. */
    private static String assertRefusedUntouched(Path data) throws Exception {
        Map<String, String> before = FileHashes.of(data);
        Path output = work.resolve(data.getFileName() + ".out");
        ProcessBuilder builder = new ProcessBuilder(launcher().toString()).redirectErrorStream(false)
                .redirectOutput(work.resolve(data.getFileName() + ".stdout").toFile())
                .redirectError(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("KALAMDB_"));
        builder.environment().putAll(Map.of("KALAMDB_SERVER_PORT", "0", "KALAMDB_DATA_DIR", data.toString(),
                "KALAMDB_ROOT_PASSWORD", SqlApiIT.ROOT_PASSWORD, "KALAMDB_BCRYPT_COST", "4"));
        Process process = builder.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the server neither started nor stopped");
        String stderr = Files.readString(output, StandardCharsets.UTF_8);
        String stdout = Files.readString(work.resolve(data.getFileName() + ".stdout"), StandardCharsets.UTF_8);
        assertEquals(1, process.exitValue(), stderr);
        assertFalse(stdout.contains("listening"), stdout);
        assertEquals(1, stderr.lines().count(), "one line on stderr: " + stderr);
        assertTrue(stderr.contains(data.toString()), "names the path: " + stderr);
        assertEquals(before, FileHashes.of(data), "the refused data directory changed");
        return stderr;
    }

    private static Path launcher() {
        Path repo = Path.of("").toAbsolutePath();
        while (repo != null && !Files.exists(repo.resolve("bin/kalamdb-server"))) {
            repo = repo.getParent();
        }
        if (repo == null) {
            throw new AssertionError("bin/kalamdb-server not found above " + Path.of("").toAbsolutePath());
        }
        return repo.resolve("bin/kalamdb-server");
    }

    private static Path copyOfPristine(String name) throws IOException {
        Path copy = work.resolve(name);
        try (Stream<Path> paths = Files.walk(pristine)) {
            for (Path p : paths.toList()) {
                Path target = copy.resolve(pristine.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return copy;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String abbreviate(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "…";
    }
}
