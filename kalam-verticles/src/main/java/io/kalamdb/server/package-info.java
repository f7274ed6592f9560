/**
 * The KalamDB server: its entry point ({@link io.kalamdb.server.KalamServerMain}), its configuration
 * ({@link io.kalamdb.server.ServerConfig}) and the event-bus addresses ({@link io.kalamdb.server.Addresses}).
 */
package io.kalamdb.server;
