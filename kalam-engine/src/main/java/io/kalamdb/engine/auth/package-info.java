/**
 * Users, roles and password hashing: the types every layer may use ({@code impl} holds the service).
 */
package io.kalamdb.engine.auth;
