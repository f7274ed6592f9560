/**
 * Users, roles, password hashing and first-run setup.
 */
package io.kalamdb.engine.auth;
