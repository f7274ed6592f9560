package io.kalamdb.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kalamdb.server.Futures;
import io.kalamdb.server.KalamServer;
import io.kalamdb.server.ServerConfig;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13, a full disk is recoverable, on a real full filesystem: the data directory is a small tmpfs that a filler
 * file fills. Writes fail with 503 {@code STORAGE_FULL}, {@code /health} says why, reads go on, writes resume
 * without a restart once the filler is deleted, and every acknowledged row is there after a restart. Needs root
 * (mount); where mounting is not allowed, {@code FullDiskTest} in the engine covers the same path with a told disk.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FullDiskIT {
    private static final String ROOT_PASSWORD = "RootPass123!";
    private static final long MIB = 1024 * 1024;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private Path mount;
    private KalamServer server;

    @BeforeEach
    void mountTmpfs() throws Exception {
        mount = Files.createTempDirectory("kalam-full-disk");
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        boolean mounted = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        Assumptions.assumeTrue(mounted, "cannot mount a tmpfs here (" + output.trim() + "); FullDiskTest covers it");
    }

    @AfterEach
    void unmount() throws Exception {
        if (server != null) {
            server.close();
        }
        if (mount != null) {
            new ProcessBuilder("umount", mount.toString()).redirectErrorStream(true).start().waitFor(20,
                    TimeUnit.SECONDS);
        }
    }

    private KalamServer start(long minFreeBytes) {
        Map<String, String> values = new HashMap<>();
        values.put("server.port", "0");
        values.put("server.engine_workers", "4");
        values.put("storage.data_path", mount.resolve("data").toString());
        values.put("storage.min_free_bytes", Long.toString(minFreeBytes));
        values.put("auth.root_password", ROOT_PASSWORD);
        values.put("auth.bcrypt_cost", "4");
        values.put("rate_limit.max_queries_per_sec", "0");
        return Futures.await(KalamServer.start(ServerConfig.of(values)));
    }

    /** Fills the tmpfs until {@code leftBytes} remain free. */
    private Path fill(long leftBytes) throws IOException {
        Path filler = mount.resolve("filler");
        long size = Files.getFileStore(mount).getUsableSpace() - leftBytes;
        byte[] chunk = new byte[(int) MIB];
        try (FileChannel out = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long written = 0; written < size; written += chunk.length) {
                out.write(java.nio.ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, size - written)));
            }
        }
        return filler;
    }

    private static HttpResponse<String> health(KalamServer s) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/health")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String row(Random random, int id) {
        StringBuilder text = new StringBuilder(200_000);
        for (int i = 0; i < 200_000; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return "INSERT INTO app.blobs (id, body) VALUES (" + id + ", '" + text + "')";
    }

    private static long count(ApiClient api, String root) {
        return Long.parseLong(api.ok(root, "SELECT COUNT(*) AS n FROM app.blobs").rows(0).getJsonArray(0)
                .getValue(0).toString());
    }

    /** Writes rows until one is refused; returns how many were acknowledged. */
    private static int writeUntilRefused(ApiClient api, String root, Random random, ApiClient.Reply[] refusal) {
        for (int id = 0; id < 400; id++) {
            ApiClient.Reply reply = api.sql(root, row(random, id));
            if (!reply.ok()) {
                refusal[0] = reply;
                return id;
            }
        }
        fail("the disk never filled");
        return -1;
    }

    private void assertRecovers(long minFreeBytes, String messageFragment) throws Exception {
        long seed = System.nanoTime();
        System.out.println("FullDiskIT seed=" + seed);
        Random random = new Random(seed);
        server = start(minFreeBytes);
        ApiClient api = new ApiClient(server.baseUrl());
        String root = api.login("root", ROOT_PASSWORD);
        api.ok(root, "CREATE NAMESPACE app");
        api.ok(root, "CREATE TABLE app.blobs (id INT PRIMARY KEY, body TEXT) WITH (TYPE='SHARED')");
        Path filler = fill(minFreeBytes + 6 * MIB);

        ApiClient.Reply[] refusal = new ApiClient.Reply[1];
        int acknowledged = writeUntilRefused(api, root, random, refusal);
        assertEquals(503, refusal[0].status(), refusal[0].body());
        assertEquals("STORAGE_FULL", refusal[0].errorCode(), refusal[0].body());
        assertTrue(refusal[0].errorMessage().contains(messageFragment), refusal[0].errorMessage());
        assertTrue(acknowledged > 0, "some rows fit before the disk filled");

        System.out.println("FullDiskIT refused after " + acknowledged + " rows: " + refusal[0].errorMessage());
        HttpResponse<String> degraded = health(server);
        assertEquals(503, degraded.statusCode(), degraded.body());
        JsonObject body = new JsonObject(degraded.body());
        assertEquals("degraded", body.getString("status"));
        assertTrue(body.getString("reason").startsWith("disk full"), body.encode());
        assertTrue(count(api, root) >= acknowledged, "reads go on");
        ApiClient.Reply again = api.sql(root, row(random, 10_000));
        assertEquals("STORAGE_FULL", again.errorCode(), "still full: " + again.body());

        Files.delete(filler);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        ApiClient.Reply retry;
        do {
            retry = api.sql(root, row(random, 20_000));
            if (!retry.ok()) {
                assertEquals("STORAGE_FULL", retry.errorCode(), retry.body());
                Thread.sleep(200); // a client's retry rhythm; the condition is the retry itself succeeding
            }
        } while (!retry.ok() && System.nanoTime() < deadline);
        assertTrue(retry.ok(), "writes resume without a restart: " + retry.body());
        assertEquals(200, health(server).statusCode());

        server.close();
        server = start(minFreeBytes);
        api = new ApiClient(server.baseUrl());
        root = api.login("root", ROOT_PASSWORD);
        for (int id = 0; id < acknowledged; id++) {
            assertEquals(1, api.ok(root, "SELECT id FROM app.blobs WHERE id = " + id).rows(0).size(),
                    "acknowledged row " + id + " survives");
        }
        assertEquals(1, api.ok(root, "SELECT id FROM app.blobs WHERE id = 20000").rows(0).size());
    }

    @Test
    void belowTheFreeSpaceFloorWritesGet503AndResumeOnceSpaceIsFreed() throws Exception {
        // a floor above one memtable flush (32 MiB), as the default's is: RocksDB itself never runs out
        assertRecovers(48 * MIB, "free_bytes=");
    }

    @Test
    void whenRocksDbItselfRunsOutOfSpaceItRecoversWithoutARestart() throws Exception {
        assertRecovers(0, "ran out of space");
    }
}
