package io.kalamdb.bench;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** One KalamDB client over a {@link Transport.Channel}: login and SQL over HTTP (reference §2.4, §2.5). */
final class KalamClient implements AutoCloseable {

    static final String SQL_PATH = "/v1/api/sql";
    static final String LOGIN_PATH = "/v1/api/auth/login";

    private final Transport.Channel channel;
    private String token;

    KalamClient(Transport.Channel channel) {
        this.channel = channel;
    }

    KalamClient(Transport.Channel channel, String token) {
        this.channel = channel;
        this.token = token;
    }

    String token() {
        return token;
    }

    /** Logs in and keeps the access token; fails with the server's answer when refused. */
    KalamClient login(String user, String password) throws IOException {
        StringBuilder body = new StringBuilder("{\"user\":");
        Json.quote(body, user).append(",\"password\":");
        Json.quote(body, password).append('}');
        Transport.Response response = channel.post(LOGIN_PATH, null, body.toString());
        if (response.status() != 200) {
            throw new IOException("login of '" + user + "' failed: HTTP " + response.status() + " " + response.body());
        }
        Object access = Json.object(Json.parse(response.body())).get("access_token");
        if (!(access instanceof String s) || s.isEmpty()) {
            throw new IOException("login of '" + user + "': no access_token in " + response.body());
        }
        token = s;
        return this;
    }

    /** Sends SQL and returns the raw answer (no parsing): the hot path of the load loops. */
    Transport.Response post(String sqlBody) throws IOException {
        return channel.post(SQL_PATH, token, sqlBody);
    }

    /** Runs SQL that must succeed and returns the parsed results array. */
    List<Object> sql(String sql, List<?> params) throws IOException {
        Transport.Response response = post(Json.sqlBody(sql, params));
        if (!isSuccess(response)) {
            throw new IOException("SQL failed: HTTP " + response.status() + " " + abbreviate(response.body(), 600)
                    + "\n  request: " + abbreviate(sql, 300));
        }
        return Json.array(Json.object(Json.parse(response.body())).get("results"));
    }

    List<Object> sql(String sql) throws IOException {
        return sql(sql, List.of());
    }

    /** The single value of a one-row, one-column result (e.g. COUNT(*)), as a long. */
    long scalarLong(String sql) throws IOException {
        List<Object> results = sql(sql);
        Map<String, Object> first = Json.object(results.get(0));
        List<Object> rows = Json.array(first.get("rows"));
        Object v = Json.array(rows.get(0)).get(0);
        return v instanceof Number n ? n.longValue() : Long.parseLong(v.toString());
    }

    /** HTTP 200 with {"status":"success"} (checked textually: the hot path avoids a full parse). */
    static boolean isSuccess(Transport.Response response) {
        return response.status() == 200 && response.body().contains("\"status\":\"success\"");
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...(" + s.length() + " chars)";
    }

    @Override
    public void close() {
        channel.close();
    }
}
