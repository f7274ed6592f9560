package io.kalamdb.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.server.KalamServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #7 through the real server (port 0, RocksDB, HTTP and WebSocket): every way of spelling a read of a
 * protected object — system tables, PRIVATE, RESTRICTED and DBA-level shared tables — is refused with 403 and
 * leaks no byte of what it protects, for queries, DML sources, EXECUTE AS bodies, batches and subscriptions; and
 * {@code password_hash} never shows a hash, even to root.
 */
class SecurityReadFormsIT {
    private static final String PRIVATE_MARKER = "MARKER-PRIVATE-7f3a";
    private static final String RESTRICTED_MARKER = "MARKER-RESTRICTED-2b9d";
    private static final String DBA_MARKER = "MARKER-DBA-91c2";
    private static final String PUBLIC_MARKER = "MARKER-PUBLIC-0e55";
    /** Every bcrypt hash starts with this; no response may contain it. */
    private static final String BCRYPT_PREFIX = "$2";

    private static KalamServer server;
    private static ApiClient api;
    private static String root;
    private static String mallory;
    private static String svc;
    private static String dba;

    /** A protected object: its name, a column of it that holds (or names) what it protects. */
    private record Target(String table, String column) {
        String quotedUpper() {
            String[] parts = table.split("\\.");
            return "\"" + parts[0].toUpperCase(Locale.ROOT) + "\".\"" + parts[1].toUpperCase(Locale.ROOT) + "\"";
        }

        String mixedCase() {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < table.length(); i++) {
                char c = table.charAt(i);
                b.append(i % 2 == 0 ? Character.toUpperCase(c) : c);
            }
            return b.toString();
        }
    }

    /** A read form: a name and a template over {T} (the table) and {C} (a column of it). */
    private record Form(String name, String template, boolean showsRows) {
        String sql(Target t) {
            return sql(t.table(), t.column());
        }

        String sql(String table, String column) {
            return template.replace("{T}", table).replace("{C}", column);
        }
    }

    private static final Target USERS = new Target("system.users", "user_id");
    private static final Target NAMESPACES = new Target("system.namespaces", "name");
    private static final Target VAULT = new Target("sec.vault", "secret");
    private static final Target RESTRICTED = new Target("sec.restricted", "secret");
    private static final Target DBA_ONLY = new Target("sec.dbaonly", "secret");
    private static final Target PUBLIC = new Target("sec.pub", "note");

    /** Every form reads {T}; the ones marked showsRows return its {C} values to a reader who may see them. */
    private static final List<Form> FORMS = List.of(
            new Form("plain FROM", "SELECT * FROM {T}", true),
            new Form("alias", "SELECT v.{C} FROM {T} AS v", true),
            new Form("TABLESAMPLE", "SELECT * FROM {T} TABLESAMPLE BERNOULLI(100)", true),
            new Form("table hint", "SELECT * FROM {T} /*+ index(i1) */", true),
            new Form("TABLE t", "TABLE {T}", false),
            new Form("EXISTS (TABLE t)", "SELECT id FROM sec.pub WHERE EXISTS (TABLE {T})", false),
            new Form("LATERAL", "SELECT x.{C} FROM sec.pub p, LATERAL (SELECT {C} FROM {T}) x", true),
            new Form("MATCH_RECOGNIZE", "SELECT * FROM {T} MATCH_RECOGNIZE (ORDER BY {C} MEASURES A.{C} AS m "
                    + "ONE ROW PER MATCH PATTERN (A) DEFINE A AS TRUE)", false),
            new Form("PIVOT", "SELECT * FROM (SELECT {C} FROM {T}) PIVOT (COUNT(*) AS n FOR {C} IN ('x' AS x))",
                    false),
            new Form("UNPIVOT", "SELECT * FROM (SELECT {C} FROM {T}) UNPIVOT (val FOR col IN ({C}))", true),
            new Form("scalar subquery in SELECT", "SELECT (SELECT MAX({C}) FROM {T}) AS m", true),
            new Form("IN subquery", "SELECT id FROM sec.pub WHERE id NOT IN (SELECT {C} FROM {T})", false),
            new Form("EXISTS oracle", "SELECT id FROM sec.pub WHERE EXISTS (SELECT 1 FROM {T} WHERE {C} LIKE 'M%')",
                    false),
            new Form("JOIN ON subquery", "SELECT a.id FROM sec.pub a JOIN sec.pub b ON a.id = b.id "
                    + "AND EXISTS (SELECT {C} FROM {T})", false),
            new Form("HAVING subquery", "SELECT COUNT(*) FROM sec.pub HAVING COUNT(*) < "
                    + "(SELECT COUNT(*) + 10 FROM {T})", false),
            new Form("ORDER BY subquery", "SELECT id FROM sec.pub ORDER BY (SELECT MAX({C}) FROM {T})", false),
            new Form("CTE", "WITH w AS (SELECT {C} FROM {T}) SELECT * FROM w", true),
            new Form("CTE shadowing a table name", "WITH pub AS (SELECT {C} FROM {T}) SELECT * FROM pub", true),
            new Form("UNION", "SELECT note FROM sec.pub UNION SELECT {C} FROM {T}", true),
            new Form("INTERSECT", "SELECT {C} FROM {T} INTERSECT SELECT {C} FROM {T}", true),
            new Form("EXCEPT", "SELECT {C} FROM {T} EXCEPT SELECT 'nothing'", true),
            new Form("VALUES with subquery", "VALUES ((SELECT MAX({C}) FROM {T}))", true),
            new Form("derived table", "SELECT * FROM (SELECT * FROM {T}) d", true),
            new Form("comma join", "SELECT x.{C} FROM sec.pub p, {T} x", true),
            new Form("WHERE FALSE", "SELECT {C} FROM {T} WHERE 1 = 0", false));

    @BeforeAll
    static void start() throws Exception {
        server = io.kalamdb.server.Futures.await(KalamServer.start(SqlApiIT.config(
                Files.createTempDirectory("kalam-security"))));
        api = new ApiClient(server.baseUrl());
        root = api.login("root", SqlApiIT.ROOT_PASSWORD);
        api.ok(root, "CREATE NAMESPACE sec");
        api.ok(root, "CREATE TABLE sec.vault (id TEXT PRIMARY KEY, secret TEXT) WITH (TYPE='SHARED', "
                + "ACCESS_LEVEL='PRIVATE')");
        api.ok(root, "CREATE TABLE sec.restricted (id TEXT PRIMARY KEY, secret TEXT) WITH (TYPE='SHARED', "
                + "ACCESS_LEVEL='RESTRICTED')");
        api.ok(root, "CREATE TABLE sec.dbaonly (id TEXT PRIMARY KEY, secret TEXT) WITH (TYPE='SHARED', "
                + "ACCESS_LEVEL='DBA')");
        api.ok(root, "CREATE TABLE sec.pub (id TEXT PRIMARY KEY, note TEXT) WITH (TYPE='SHARED', "
                + "ACCESS_LEVEL='PUBLIC')");
        api.ok(root, "CREATE TABLE sec.mine (id BIGINT PRIMARY KEY, note TEXT) WITH (TYPE='USER')");
        api.ok(root, "INSERT INTO sec.vault (id, secret) VALUES ('v1', '" + PRIVATE_MARKER + "')");
        api.ok(root, "INSERT INTO sec.restricted (id, secret) VALUES ('r1', '" + RESTRICTED_MARKER + "')");
        api.ok(root, "INSERT INTO sec.dbaonly (id, secret) VALUES ('d1', '" + DBA_MARKER + "')");
        api.ok(root, "INSERT INTO sec.pub (id, note) VALUES ('p1', '" + PUBLIC_MARKER + "')");
        api.ok(root, "CREATE USER 'mallory' WITH PASSWORD 'MalloryPass123!' ROLE user");
        api.ok(root, "CREATE USER 'svc' WITH PASSWORD 'ServicePass123!' ROLE service");
        api.ok(root, "CREATE USER 'dba' WITH PASSWORD 'DbaPass123!xyz' ROLE dba");
        mallory = api.login("mallory", "MalloryPass123!");
        svc = api.login("svc", "ServicePass123!");
        dba = api.login("dba", "DbaPass123!xyz");
        api.ok(mallory, "INSERT INTO sec.mine (id, note) VALUES (100, 'orig')");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Asserts 403 PERMISSION_DENIED naming {@code table}, and that the body holds no protected byte. */
    private static void assertDenied(String token, String sql, String table) {
        ApiClient.Reply r = api.sql(token, sql);
        assertEquals(403, r.status(), sql + " -> " + r.body());
        assertEquals("PERMISSION_DENIED", r.errorCode(), sql + " -> " + r.body());
        assertTrue(r.errorMessage().toLowerCase(Locale.ROOT).contains(table), sql + " -> " + r.errorMessage());
        assertNoSecret(sql, r.body());
    }

    private static void assertNoSecret(String what, String body) {
        for (String secret : List.of(PRIVATE_MARKER, RESTRICTED_MARKER, DBA_MARKER, BCRYPT_PREFIX)) {
            assertFalse(body.contains(secret), what + " leaked " + secret + ": " + body);
        }
    }

    // ---------- the table: read forms x protected objects x roles ----------

    @Test
    void everyReadFormOfEveryProtectedObjectIsRefusedToEveryRoleThatMayNotReadIt() {
        record Case(String token, String role, Target target) {
        }
        List<Case> cases = List.of(
                new Case(mallory, "user", USERS), new Case(mallory, "user", NAMESPACES),
                new Case(mallory, "user", VAULT), new Case(mallory, "user", RESTRICTED),
                new Case(mallory, "user", DBA_ONLY),
                new Case(svc, "service", USERS), new Case(svc, "service", NAMESPACES),
                new Case(svc, "service", DBA_ONLY));
        int checked = 0;
        for (Case c : cases) {
            for (Form f : FORMS) {
                assertDenied(c.token(), f.sql(c.target()), c.target().table());
                checked++;
            }
            String[] spellings = {c.target().quotedUpper(), c.target().mixedCase()};
            for (String spelling : spellings) {
                assertDenied(c.token(), "SELECT * FROM " + spelling, c.target().table());
                assertDenied(c.token(), "SELECT * FROM " + spelling + " TABLESAMPLE BERNOULLI(100)",
                        c.target().table());
                checked += 2;
            }
        }
        assertEquals(cases.size() * (FORMS.size() + 4), checked);
    }

    @Test
    void explainIsAdminOnlyAndStillChecksWhatItPlans() {
        for (Target t : List.of(USERS, VAULT, DBA_ONLY)) {
            ApiClient.Reply r = api.sql(mallory, "EXPLAIN PLAN FOR SELECT * FROM " + t.table()
                    + " TABLESAMPLE BERNOULLI(100)");
            assertEquals(403, r.status(), r.body());
            assertNoSecret("EXPLAIN", r.body());
        }
        ApiClient.Reply plan = api.ok(dba, "EXPLAIN PLAN FOR SELECT * FROM sec.dbaonly TABLESAMPLE BERNOULLI(100)");
        assertTrue(plan.body().contains("dbaonly"), plan.body());
    }

    @Test
    void theSameFormsStillWorkForWhoMayRead() {
        // user on a PUBLIC table, service on PRIVATE and RESTRICTED, dba on DBA-level and system tables
        record Allowed(String token, Target target, String marker) {
        }
        List<Allowed> allowed = List.of(new Allowed(mallory, PUBLIC, PUBLIC_MARKER),
                new Allowed(svc, VAULT, PRIVATE_MARKER), new Allowed(svc, RESTRICTED, RESTRICTED_MARKER),
                new Allowed(dba, DBA_ONLY, DBA_MARKER), new Allowed(dba, USERS, "svc"));
        for (Allowed a : allowed) {
            for (Form f : FORMS) {
                String sql = f.sql(a.target());
                ApiClient.Reply r = api.sql(a.token(), sql);
                assertNotEquals(403, r.status(), sql + " -> " + r.body());
                if (f.showsRows()) {
                    assertEquals(200, r.status(), sql + " -> " + r.body());
                    assertTrue(r.body().contains(a.marker()), sql + " should show " + a.marker() + ": " + r.body());
                }
            }
            assertTrue(api.ok(a.token(), "SELECT * FROM " + a.target().quotedUpper()).body().contains(a.marker()));
        }
    }

    @Test
    void calcitesMetadataSchemaIsNotReadable() {
        // Calcite's JDBC root schema has "metadata"."TABLES"/"COLUMNS" listing every table; nobody reads it
        for (String token : List.of(mallory, svc, root)) {
            for (String sql : List.of("SELECT * FROM \"metadata\".\"TABLES\"",
                    "SELECT * FROM \"metadata\".\"COLUMNS\" TABLESAMPLE BERNOULLI(100)")) {
                ApiClient.Reply r = api.sql(token, sql);
                assertEquals(403, r.status(), sql + " -> " + r.body());
                assertFalse(r.body().contains("vault"), "no catalog listing: " + r.body());
            }
        }
    }

    @Test
    void unknownTablesAndBadSqlAreNoSideChannel() {
        for (String sql : List.of("SELECT * FROM sec.vault TABLESAMPLE BERNOULLI(100), sec.nope",
                "SELECT secret FROM sec.vault WHERE CAST(secret AS INT) = 1",
                "SELECT CAST(password_hash AS INT) FROM system.users TABLESAMPLE BERNOULLI(100)",
                "SELECT * FROM sec.pub WHERE note = (SELECT secret FROM sec.vault /*+ x */)")) {
            ApiClient.Reply r = api.sql(mallory, sql);
            assertNotEquals(200, r.status(), sql + " -> " + r.body());
            assertNoSecret(sql, r.body());
        }
        ApiClient.Reply missing = api.sql(mallory, "SELECT * FROM sec.nope");
        assertNotEquals(200, missing.status());
        assertTrue(missing.body().contains("nope"), "existence may be told: " + missing.body());
    }

    // ---------- DML sources ----------

    @Test
    void dmlNeedsReadRightsOnEverythingItReads() {
        assertDenied(mallory, "INSERT INTO sec.mine (id, note) SELECT 1, secret FROM sec.vault", "sec.vault");
        assertDenied(mallory, "INSERT INTO sec.mine (id, note) SELECT 2, password_hash FROM system.users",
                "system.users");
        assertDenied(mallory, "INSERT INTO sec.mine (id, note) SELECT 3, secret FROM sec.vault "
                + "TABLESAMPLE BERNOULLI(100)", "sec.vault");
        assertDenied(mallory, "INSERT INTO sec.mine (id, note) VALUES (4, (SELECT MAX(secret) FROM sec.vault))",
                "sec.vault");
        assertDenied(mallory, "INSERT INTO sec.mine (id, note) VALUES (5, 'x'), (6, (SELECT MAX(user_id) "
                + "FROM system.users))", "system.users");
        assertDenied(mallory, "UPDATE sec.mine SET note = (SELECT MAX(secret) FROM sec.vault) WHERE id = 100",
                "sec.vault");
        assertDenied(mallory, "UPDATE sec.mine SET note = 'y' WHERE id IN (SELECT 100 FROM sec.dbaonly)",
                "sec.dbaonly");
        assertDenied(mallory, "DELETE FROM sec.mine WHERE id = 100 AND EXISTS (SELECT 1 FROM sec.vault "
                + "WHERE secret LIKE 'MARKER%')", "sec.vault");
        assertDenied(mallory, "DELETE FROM sec.mine WHERE note NOT IN (SELECT secret FROM sec.restricted)",
                "sec.restricted");
        assertDenied(mallory, "DELETE FROM sec.mine WHERE EXISTS (TABLE system.users)", "system.users");
        assertDenied(svc, "INSERT INTO sec.vault (id, secret) SELECT id, secret FROM sec.dbaonly", "sec.dbaonly");

        JsonArray mine = api.ok(mallory, "SELECT id, note FROM sec.mine ORDER BY id").rows(0);
        assertEquals(new JsonArray().add(new JsonArray().add("100").add("orig")), mine,
                "nothing written, updated or deleted");
        assertEquals(1, api.ok(svc, "SELECT * FROM sec.vault").result(0).getInteger("row_count"));

        // the allowed sources still work, so the refusals above are about rights, not syntax
        api.ok(mallory, "INSERT INTO sec.mine (id, note) SELECT 7, note FROM sec.pub TABLESAMPLE BERNOULLI(100)");
        api.ok(mallory, "UPDATE sec.mine SET note = (SELECT MAX(note) FROM sec.pub) WHERE id = 100");
        api.ok(mallory, "DELETE FROM sec.mine WHERE id = 7 AND EXISTS (SELECT 1 FROM sec.pub)");
        assertEquals(new JsonArray().add(new JsonArray().add("100").add(PUBLIC_MARKER)),
                api.ok(mallory, "SELECT id, note FROM sec.mine ORDER BY id").rows(0));
        api.ok(mallory, "UPDATE sec.mine SET note = 'orig' WHERE id = 100");
    }

    @Test
    void executeAsChecksTheBodyAsTheTargetUser() {
        assertDenied(root, "EXECUTE AS USER 'mallory' (SELECT * FROM system.users TABLESAMPLE BERNOULLI(100))",
                "system.users");
        assertDenied(root, "EXECUTE AS USER 'mallory' (SELECT (SELECT MAX(user_id) FROM system.users))",
                "system.users");
        assertDenied(root, "EXECUTE AS USER 'mallory' (INSERT INTO sec.mine (id, note) SELECT 8, user_id "
                + "FROM system.users)", "system.users");
        ApiClient.Reply viaShared = api.sql(svc, "EXECUTE AS USER 'mallory' (SELECT id FROM sec.mine WHERE EXISTS "
                + "(TABLE sec.vault))");
        assertNotEquals(200, viaShared.status(), viaShared.body());
        assertNoSecret("EXECUTE AS over a shared table", viaShared.body());
        assertEquals(0, api.ok(mallory, "SELECT * FROM sec.mine WHERE id = 8").result(0).getInteger("row_count"));
    }

    @Test
    void aBatchWithAForbiddenStatementHasNoEffects() {
        assertDenied(mallory, "INSERT INTO sec.mine (id, note) VALUES (50, 'first'); "
                + "SELECT * FROM sec.vault TABLESAMPLE BERNOULLI(100)", "sec.vault");
        assertDenied(mallory, "INSERT INTO sec.mine (id, note) VALUES (51, 'first'); "
                + "UPDATE sec.mine SET note = (SELECT MAX(secret) FROM sec.vault) WHERE id = 51", "sec.vault");
        assertDenied(mallory, "DELETE FROM sec.mine WHERE id = 100; "
                + "INSERT INTO sec.mine (id, note) SELECT 52, password_hash FROM system.users", "system.users");
        JsonArray mine = api.ok(mallory, "SELECT id FROM sec.mine WHERE id IN (50, 51, 52, 100) ORDER BY id").rows(0);
        assertEquals(new JsonArray().add(new JsonArray().add("100")), mine, "no statement of a refused batch ran");

        // a statement that cannot be planned before the batch's DDL runs is still refused up front when it names
        // what the role may not read, however it spells the read; and it is refused on its plan when it runs
        assertDenied(svc, "CREATE TABLE sec.fresh (id BIGINT PRIMARY KEY, v TEXT) WITH (TYPE='USER'); "
                + "SELECT * FROM sec.fresh, sec.dbaonly TABLESAMPLE BERNOULLI(100)", "sec.dbaonly");
        assertDenied(svc, "CREATE TABLE sec.fresh (id BIGINT PRIMARY KEY, v TEXT) WITH (TYPE='USER'); "
                + "INSERT INTO sec.fresh (id, v) SELECT 1, secret FROM sec.dbaonly /*+ x */", "sec.dbaonly");
        ApiClient.Reply fresh = api.sql(root, "SELECT * FROM sec.fresh");
        assertNotEquals(200, fresh.status(), "the batch's CREATE TABLE did not run: " + fresh.body());
        assertTrue(fresh.errorMessage().contains("table 'sec.fresh' not found"), fresh.body());
    }

    // ---------- password_hash ----------

    @Test
    void passwordHashIsMaskedForEveryoneThroughEveryForm() {
        for (String token : List.of(root, dba)) {
            List<String> bodies = new ArrayList<>();
            bodies.add(api.ok(token, "SELECT user_id, password_hash FROM system.users WHERE user_id = 'mallory'")
                    .body());
            for (Form f : FORMS) {
                ApiClient.Reply r = api.sql(token, f.sql("system.users", "password_hash"));
                assertNotEquals(403, r.status(), f.name() + " -> " + r.body());
                bodies.add(r.body());
            }
            bodies.add(api.ok(token, "SELECT * FROM system.users WHERE password_hash LIKE '$2%'").body());
            bodies.add(api.ok(token, "SELECT SUBSTRING(password_hash FROM 1 FOR 4) AS p FROM system.users").body());
            for (String body : bodies) {
                assertNoSecret("password_hash", body);
            }
            JsonArray row = api.ok(token, "SELECT password_hash FROM system.users WHERE user_id = 'mallory'").rows(0);
            assertEquals("********", row.getJsonArray(0).getString(0));
            assertEquals(0, api.ok(token, "SELECT * FROM system.users WHERE password_hash LIKE '$2%'").result(0)
                    .getInteger("row_count"), "no filter can probe the hash either");
        }
        // copying it into a table of one's own copies the mask
        api.ok(root, "INSERT INTO sec.mine (id, note) SELECT 9, password_hash FROM system.users "
                + "WHERE user_id = 'mallory'");
        assertEquals("********", api.ok(root, "SELECT note FROM sec.mine WHERE id = 9").rows(0).getJsonArray(0)
                .getString(0));
        assertFalse(api.login("mallory", "MalloryPass123!").isEmpty(), "logins still verify the real hash");
    }

    // ---------- WebSocket subscriptions ----------

    @Test
    void subscriptionsToWhatTheUserMayNotReadGetAnErrorFrameAndNoRows() {
        try (WsClient ws = WsClient.authenticated(server.baseUrl(), mallory)) {
            List<String> forbidden = List.of("SELECT * FROM sec.vault", "SELECT * FROM sec.restricted",
                    "SELECT * FROM sec.dbaonly", "SELECT * FROM system.users", "SELECT * FROM \"SEC\".\"VAULT\"",
                    "SELECT * FROM sec.vault TABLESAMPLE BERNOULLI(100)",
                    "SELECT * FROM sec.pub WHERE id IN (SELECT secret FROM sec.vault)",
                    "SELECT * FROM sec.pub WHERE EXISTS (SELECT 1 FROM sec.vault WHERE secret LIKE 'M%')",
                    "SELECT * FROM sec.pub WHERE note = (SELECT MAX(secret) FROM sec.vault)",
                    "SELECT * FROM sec.pub WHERE EXISTS (TABLE system.users)",
                    "SELECT * FROM sec.pub WHERE NOT (id IN (SELECT user_id FROM system.users))");
            for (int i = 0; i < forbidden.size(); i++) {
                String id = "f" + i;
                ws.subscribe(id, forbidden.get(i), null);
                JsonObject frame = ws.nextFor(id);
                assertEquals("error", frame.getString("type"), forbidden.get(i) + " -> " + frame.encode());
                assertNoSecret(forbidden.get(i), frame.encode());
            }
            // a subscription the user may have still works on the same connection...
            List<JsonObject> rows = ws.subscribeAndLoad("ok", "SELECT * FROM sec.pub", null);
            assertEquals(PUBLIC_MARKER, rows.get(0).getString("note"));
            // ...and by then nothing else arrived for the refused ones
            for (int i = 0; i < forbidden.size(); i++) {
                String id = "f" + i;
                assertNull(ws.poll(f -> id.equals(f.getString("subscription_id")), 0), "frame after refusal");
            }
            api.ok(root, "INSERT INTO sec.vault (id, secret) VALUES ('v2', '" + PRIVATE_MARKER + "-2')");
            api.ok(root, "INSERT INTO sec.pub (id, note) VALUES ('p2', 'after')");
            JsonObject change = ws.nextFor("ok");
            assertNoSecret("change", change.encode());
            assertTrue(change.encode().contains("after"), change.encode());
            api.ok(root, "DELETE FROM sec.vault WHERE id = 'v2'");
            api.ok(root, "DELETE FROM sec.pub WHERE id = 'p2'");
        }
    }

    @Test
    void subscribeToStatementIsAuthorisedOnItsPlanToo() {
        assertDenied(mallory, "SUBSCRIBE TO SELECT * FROM sec.pub WHERE EXISTS (TABLE sec.vault)", "sec.vault");
        ApiClient.Reply sampled = api.sql(mallory, "SUBSCRIBE TO SELECT * FROM sec.vault TABLESAMPLE BERNOULLI(100)");
        assertTrue(sampled.status() == 400 || sampled.status() == 403, sampled.body());
        assertNoSecret("SUBSCRIBE TO", sampled.body());
        assertEquals(200, api.sql(mallory, "SUBSCRIBE TO SELECT * FROM sec.pub").status());
    }

    @Test
    void topicRouteFiltersCannotReadOtherTables() {
        api.ok(root, "CREATE TOPIC sec.events");
        ApiClient.Reply r = api.sql(root, "ALTER TOPIC sec.events ADD SOURCE sec.pub ON INSERT WHERE id IN "
                + "(SELECT id FROM sec.vault)");
        assertEquals(400, r.status(), r.body());
        assertTrue(r.errorMessage().toLowerCase(Locale.ROOT).contains("subquer"), r.errorMessage());
        assertEquals(400, api.sql(root, "ALTER TOPIC sec.events ADD SOURCE sec.pub ON INSERT WHERE EXISTS "
                + "(TABLE sec.vault)").status());
        api.ok(root, "ALTER TOPIC sec.events ADD SOURCE sec.pub ON INSERT WHERE id LIKE 'p%'");
    }
}
