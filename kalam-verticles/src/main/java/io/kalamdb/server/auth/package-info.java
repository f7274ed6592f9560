/**
 * Tokens: issuing and verifying the HS256 JWTs of reference 6.3 ({@link io.kalamdb.server.auth.JwtService}) and
 * reading a Bearer {@code Authorization} header ({@link io.kalamdb.server.auth.BearerAuthenticator}).
 */
package io.kalamdb.server.auth;
