package io.kalamdb.engine.catalog;

import io.kalamdb.engine.auth.UserRecord;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory view of namespaces, tables and users. Only the applier changes it (after the change is in
 * the store); everyone reads it. {@link #version()} moves on every change so that cached plans can expire.
 * Names are matched case-insensitively and kept as declared.
 */
public final class Catalog {
    private final Map<String, NamespaceDef> namespaces = new ConcurrentHashMap<>();
    private final Map<String, TableDef> tablesByName = new ConcurrentHashMap<>();
    private final Map<Long, TableDef> tablesById = new ConcurrentHashMap<>();
    private final Map<String, UserRecord> users = new ConcurrentHashMap<>();
    private final Map<String, io.kalamdb.engine.catalog.TopicDef> topicsByName = new ConcurrentHashMap<>();
    private final Map<Long, io.kalamdb.engine.catalog.TopicDef> topicsById = new ConcurrentHashMap<>();
    private volatile Map<Long, List<TopicRoute>> routesByTable = Map.of();
    private final AtomicLong version = new AtomicLong();

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static String key(String namespace, String table) {
        return key(namespace) + "." + key(table);
    }

    public long version() {
        return version.get();
    }

    public NamespaceDef namespace(String name) {
        return namespaces.get(key(name));
    }

    public List<NamespaceDef> namespaces() {
        List<NamespaceDef> list = new ArrayList<>(namespaces.values());
        list.sort(Comparator.comparing(NamespaceDef::name));
        return list;
    }

    public TableDef table(String namespace, String name) {
        return tablesByName.get(key(namespace, name));
    }

    public TableDef table(long id) {
        return tablesById.get(id);
    }

    public List<TableDef> tables() {
        List<TableDef> list = new ArrayList<>(tablesById.values());
        list.sort(Comparator.comparing(TableDef::namespace).thenComparing(TableDef::name));
        return list;
    }

    public List<TableDef> tables(String namespace) {
        List<TableDef> list = new ArrayList<>();
        for (TableDef t : tables()) {
            if (t.namespace().equalsIgnoreCase(namespace)) {
                list.add(t);
            }
        }
        return list;
    }

    public UserRecord user(String id) {
        return users.get(id);
    }

    public Collection<UserRecord> users() {
        List<UserRecord> list = new ArrayList<>(users.values());
        list.sort(Comparator.comparing(UserRecord::id));
        return list;
    }

    public void putNamespace(NamespaceDef ns) {
        namespaces.put(key(ns.name()), ns);
        version.incrementAndGet();
    }

    public void removeNamespace(String name) {
        namespaces.remove(key(name));
        version.incrementAndGet();
    }

    public void putTable(TableDef table) {
        TableDef old = tablesById.put(table.id(), table);
        String name = key(table.namespace(), table.name());
        // the new name first: a reader never finds a table that is only being changed missing
        tablesByName.put(name, table);
        if (old != null && !key(old.namespace(), old.name()).equals(name)) {
            tablesByName.remove(key(old.namespace(), old.name()));
        }
        version.incrementAndGet();
    }

    public void removeTable(long id) {
        TableDef old = tablesById.remove(id);
        if (old != null) {
            tablesByName.remove(key(old.namespace(), old.name()));
        }
        version.incrementAndGet();
    }

    /** A route of a topic, as found from its source table. */
    public record TopicRoute(io.kalamdb.engine.catalog.TopicDef topic, io.kalamdb.engine.catalog.TopicDef.Route route) {
    }

    public io.kalamdb.engine.catalog.TopicDef topic(String namespace, String name) {
        return topicsByName.get(key(namespace, name));
    }

    public io.kalamdb.engine.catalog.TopicDef topic(long id) {
        return topicsById.get(id);
    }

    public List<io.kalamdb.engine.catalog.TopicDef> topics() {
        List<io.kalamdb.engine.catalog.TopicDef> list = new ArrayList<>(topicsById.values());
        list.sort(Comparator.comparing(io.kalamdb.engine.catalog.TopicDef::qualifiedName));
        return list;
    }

    /** The routes whose source is this table. */
    public List<TopicRoute> routes(long tableId) {
        return routesByTable.getOrDefault(tableId, List.of());
    }

    public synchronized void putTopic(io.kalamdb.engine.catalog.TopicDef topic) {
        io.kalamdb.engine.catalog.TopicDef old = topicsById.put(topic.id(), topic);
        String name = key(topic.namespace(), topic.name());
        topicsByName.put(name, topic);
        if (old != null && !key(old.namespace(), old.name()).equals(name)) {
            topicsByName.remove(key(old.namespace(), old.name()));
        }
        rebuildRoutes();
    }

    public synchronized void removeTopic(long id) {
        io.kalamdb.engine.catalog.TopicDef old = topicsById.remove(id);
        if (old != null) {
            topicsByName.remove(key(old.namespace(), old.name()));
        }
        rebuildRoutes();
    }

    private void rebuildRoutes() {
        Map<Long, List<TopicRoute>> map = new java.util.HashMap<>();
        for (io.kalamdb.engine.catalog.TopicDef t : topicsById.values()) {
            for (io.kalamdb.engine.catalog.TopicDef.Route r : t.routes()) {
                map.computeIfAbsent(r.tableId(), k -> new ArrayList<>()).add(new TopicRoute(t, r));
            }
        }
        routesByTable = map;
    }

    public void putUser(UserRecord user) {
        users.put(user.id(), user);
    }
}
