package io.kalamdb.server.auth;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * Issues and verifies KalamDB's HS256 tokens (reference 6.3): claims {@code sub, iss="kalamdb", exp, iat, email,
 * role, token_type} plus {@code gen}, the user's token generation (ADR 0005: the engine worker refuses a token
 * whose generation is not the stored one); access tokens live {@code auth.jwt_expiry_hours}, refresh tokens seven
 * times longer; {@code exp}, {@code nbf} and {@code iat} are checked with {@code auth.jwt_leeway_secs} (60 s) of
 * leeway.
 *
 * <p>Verification fails with {@code TOKEN_EXPIRED} for an expired token and {@code INVALID_CREDENTIALS} for
 * anything else, both with the public message {@code Invalid credentials}. HMAC is cheap: it runs on the event loop.
 */
public final class JwtService {
    public static final String ISSUER = "kalamdb";
    public static final long LEEWAY_SECONDS = 60;
    public static final int REFRESH_LIFETIME_FACTOR = 7;
    static final String INVALID_CREDENTIALS = "Invalid credentials";
    /** The claim carrying the user's token generation (absent = 0). */
    public static final String GENERATION_CLAIM = "gen";
    private static final String ALGORITHM = "HS256";

    private final JWTAuth auth;
    private final Duration accessLifetime;
    private final Duration refreshLifetime;
    private final Clock clock;
    private final long leewaySeconds;
    private final JWTOptions signOptions = new JWTOptions().setAlgorithm(ALGORITHM).setNoTimestamp(true);

    public JwtService(Vertx vertx, String secret, int accessExpiryHours, Clock clock) {
        this(vertx, secret, accessExpiryHours, LEEWAY_SECONDS, clock);
    }

    /** A service whose {@code exp}/{@code nbf}/{@code iat} checks allow {@code leewaySeconds} of clock skew. */
    public JwtService(Vertx vertx, String secret, int accessExpiryHours, long leewaySeconds, Clock clock) {
        requireNonNull(vertx, "vertx is null");
        if (leewaySeconds < 0) {
            throw new IllegalArgumentException("leewaySeconds is negative: " + leewaySeconds);
        }
        this.leewaySeconds = leewaySeconds;
        requireNonNull(secret, "secret is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.accessLifetime = Duration.ofHours(accessExpiryHours);
        this.refreshLifetime = accessLifetime.multipliedBy(REFRESH_LIFETIME_FACTOR);
        // Expiry is checked below (with leeway, and telling expired from invalid), not by the provider.
        this.auth = JWTAuth.create(vertx, new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(secret))
                .setJWTOptions(new JWTOptions().setIgnoreExpiration(true)));
    }

    /** A new access and refresh token for a user, as login and refresh hand out. */
    public TokenPair issue(UserRecord user) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant accessExpiry = now.plus(accessLifetime);
        Instant refreshExpiry = now.plus(refreshLifetime);
        return new TokenPair(sign(user, TokenType.ACCESS, now, accessExpiry), accessExpiry,
                sign(user, TokenType.REFRESH, now, refreshExpiry), refreshExpiry, now);
    }

    /**
     * Tokens whose signature and claims were checked, by token text: a token never changes, so only its
     * expiry needs checking again (clients send the same token with every request; verifying costs an HMAC and
     * two JSON parses). Bounded; cleared when full.
     */
    private final java.util.Map<String, TokenClaims> verified = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int VERIFIED_CACHE_SIZE = 10_000;

    /** The leeway of the lifetime checks, in seconds. */
    public long leewaySeconds() {
        return leewaySeconds;
    }

    /** The current time of this service's clock, in epoch seconds. */
    public long nowSeconds() {
        return clock.instant().getEpochSecond();
    }

    /** Checks signature, issuer, lifetime and claims; the future fails with a {@link KalamException}. */
    public Future<TokenClaims> verify(String token) {
        requireNonNull(token, "token is null");
        TokenClaims known = verified.get(token);
        if (known != null) {
            if (clock.instant().getEpochSecond() > known.expiresAtSeconds() + leewaySeconds) {
                verified.remove(token);
                return Future.failedFuture(new KalamException(KalamErrorCode.TOKEN_EXPIRED, INVALID_CREDENTIALS));
            }
            return Future.succeededFuture(known);
        }
        return verifyFully(token).onSuccess(claims -> {
            if (verified.size() >= VERIFIED_CACHE_SIZE) {
                verified.clear();
            }
            verified.put(token, claims);
        });
    }

    private Future<TokenClaims> verifyFully(String token) {
        Future<?> checked;
        try {
            checked = auth.authenticate(new TokenCredentials(token));
        } catch (RuntimeException e) {
            return Future.failedFuture(invalid());
        }
        return checked.transform(ar -> {
            if (ar.failed()) {
                return Future.failedFuture(invalid());
            }
            try {
                return Future.succeededFuture(claims(payloadOf(token)));
            } catch (KalamException e) {
                return Future.failedFuture(e);
            } catch (RuntimeException e) {
                return Future.failedFuture(invalid());
            }
        });
    }

    private String sign(UserRecord user, TokenType type, Instant now, Instant expiry) {
        JsonObject claims = new JsonObject()
                .put("sub", user.id())
                .put("iss", ISSUER)
                .put("exp", expiry.getEpochSecond())
                .put("iat", now.getEpochSecond())
                .put("email", user.email())
                .put("role", user.role().wireName())
                .put("token_type", type.claim())
                .put(GENERATION_CLAIM, user.tokenGeneration());
        return auth.generateToken(claims, signOptions);
    }

    private TokenClaims claims(JsonObject payload) {
        long now = clock.instant().getEpochSecond();
        if (!ISSUER.equals(payload.getValue("iss"))) {
            throw invalid();
        }
        if (!(payload.getValue("sub") instanceof String subject) || subject.isEmpty()) {
            throw invalid();
        }
        if (!(payload.getValue("exp") instanceof Number exp)) {
            throw invalid();
        }
        if (now > exp.longValue() + leewaySeconds) {
            throw new KalamException(KalamErrorCode.TOKEN_EXPIRED, INVALID_CREDENTIALS);
        }
        long issuedAt = 0;
        if (payload.containsKey("iat")) {
            if (!(payload.getValue("iat") instanceof Number iat) || iat.longValue() > now + leewaySeconds) {
                throw invalid();
            }
            issuedAt = iat.longValue();
        }
        if (payload.containsKey("nbf")
                && (!(payload.getValue("nbf") instanceof Number nbf) || nbf.longValue() > now + leewaySeconds)) {
            throw invalid();
        }
        TokenType type = TokenType.fromClaim(payload.getValue("token_type") instanceof String s ? s : null);
        if (type == null) {
            throw invalid();
        }
        Role role = null;
        Object roleClaim = payload.getValue("role");
        if (roleClaim != null) {
            role = roleOf(roleClaim);
        }
        long generation = 0;
        if (payload.containsKey(GENERATION_CLAIM)) {
            if (!(payload.getValue(GENERATION_CLAIM) instanceof Number gen) || gen.longValue() < 0) {
                throw invalid();
            }
            generation = gen.longValue();
        }
        Object email = payload.getValue("email");
        return new TokenClaims(subject, role, email instanceof String e ? e : null, type, issuedAt, exp.longValue(),
                generation);
    }

    private static Role roleOf(Object claim) {
        for (Role role : Role.values()) {
            if (role.wireName().equals(claim)) {
                return role;
            }
        }
        throw invalid();
    }

    private static JsonObject payloadOf(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw invalid();
        }
        return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }

    private static KalamException invalid() {
        return new KalamException(KalamErrorCode.INVALID_CREDENTIALS, INVALID_CREDENTIALS);
    }
}
