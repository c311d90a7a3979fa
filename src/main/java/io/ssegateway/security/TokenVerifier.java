package io.ssegateway.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.micronaut.context.annotation.Context;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Reason;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Turns a bearer token into a {@link Principal}, or refuses it. One instance serves the HTTP
 * controllers and the SSE endpoint alike; it is thread-safe and works on plain strings.
 *
 * <p>A token is accepted only when all of these hold: it is a signed JWT (JWS) in compact form;
 * its algorithm is one the configuration allows (HS256 with {@code jwt.secret}; RS256, RS384,
 * RS512, ES256, ES384 or PS256 with {@code jwt.jwks-url}) and never {@code none}; the signature
 * is valid for a key of that algorithm's own kind; {@code exp} and {@code nbf}, when present,
 * hold within {@code jwt.clock-skew}; {@code iss} and {@code aud} match when configured; and
 * the claims are well formed. Every refusal is a {@link GatewayException} with
 * {@link Reason#UNAUTHORIZED} and a message safe to show the caller.
 *
 * <p>{@link #verify} does no network I/O in the normal case (see {@link VerificationKeys}). It
 * never logs the token.
 *
 * <p>Created eagerly, so that bad settings stop startup and JWK set keys are fetched before the
 * first request.
 */
@Context
public final class TokenVerifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TokenVerifier.class);

    /** Bounds the parsing done before the signature is checked; real tokens are a few KiB. */
    public static final int MAX_TOKEN_LENGTH = 16 * 1024;

    /** {@code at+jwt} is what OAuth servers put on access tokens (RFC 9068). */
    private static final JOSEObjectType ACCESS_TOKEN = new JOSEObjectType("at+jwt");
    private static final String NO_KEY = "no signing key matches the token's key id";
    private static final long KEY_WARNING_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();
    private static final Set<JOSEObjectType> ACCEPTED_TYPES = Set.of(JOSEObjectType.JWT, ACCESS_TOKEN);
    /** What of a header value may be echoed in a message: the value comes from the caller. */
    private static final Pattern PRINTABLE = Pattern.compile("[A-Za-z0-9+_.-]{1,32}");

    private final SecurityConfig config;
    private final VerificationKeys keys;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final Clock clock;
    private final CompletableFuture<Void> keysLoaded;
    private final AtomicLong lastKeyWarning = new AtomicLong();

    @Inject
    public TokenVerifier(SecurityConfig config, SigningSecret secret) {
        this(config, secret, Clock.systemUTC());
    }

    TokenVerifier(SecurityConfig config, SigningSecret secret, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.keys = new VerificationKeys(config, secret);
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(keys);
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, ACCESS_TOKEN, null));
        // Times, issuer and audience are checked below, with our clock and our messages.
        processor.setJWTClaimsSetVerifier((claims, context) -> { });
        LOG.info("auth=jwt algorithms={} jwks={}", names(keys.accepted()), config.jwksUrl() == null ? "off" : config.jwksUrl());
        this.keysLoaded = keys.warmUp();
    }

    /** Completes when the first attempt to fetch the JWK set is over (at once without one). */
    CompletableFuture<Void> keysLoaded() {
        return keysLoaded;
    }

    /**
     * Verifies {@code token} (without any {@code Bearer } prefix) and returns what it grants.
     *
     * @throws GatewayException with {@link Reason#UNAUTHORIZED} when the token is missing or not
     *     acceptable for any reason
     */
    public Principal verify(String token) {
        if (token == null || token.isBlank()) {
            throw rejected("token is missing");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw rejected("token is longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        SignedJWT jwt = signed(token.trim());
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!keys.accepted().contains(alg)) {
            // Also stops HS256 made with a public key as secret when only a JWK set is configured.
            throw rejected("token algorithm " + printable(alg.getName()) + " is not accepted; expected one of "
                    + names(keys.accepted()));
        }
        JOSEObjectType typ = jwt.getHeader().getType();
        if (typ != null && !ACCEPTED_TYPES.contains(typ)) {
            throw rejected("token type (typ) is not JWT");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, null);
        } catch (BadJWSException e) {
            throw rejected("token signature is invalid");
        } catch (BadJOSEException e) {
            throw rejected(config.jwksUrl() != null && !JWSAlgorithm.HS256.equals(alg) ? NO_KEY : "token is not acceptable");
        } catch (RateLimitReachedException e) {
            // The refresh an unknown key id asks for was already spent: the key is not there.
            throw rejected(NO_KEY);
        } catch (KeySourceException e) {
            warnKeysUnavailable(e);
            throw rejected("signing keys are unavailable, try again later");
        } catch (JOSEException e) {
            throw rejected("token could not be verified");
        }
        checkTimes(claims);
        checkIssuerAndAudience(claims);
        return TokenClaims.principal(claims);
    }

    /**
     * Until when a token that verified is accepted: its {@code exp} plus the clock skew, or null
     * for a token without expiry. A stream that outlives it must end, or its client would go on
     * seeing what only the token entitled it to.
     */
    public Instant acceptedUntil(Principal principal) {
        return principal.expiresAt() == null ? null : principal.expiresAt().plus(config.clockSkew());
    }

    private static SignedJWT signed(String token) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw rejected("token is not a JWT");
        }
        if (jwt instanceof PlainJWT) {
            throw rejected("token is not signed (alg none)");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw rejected("token is not a signed JWT (JWS)");
        }
        return signed;
    }

    private void checkTimes(JWTClaimsSet claims) {
        Instant now = clock.instant();
        long skew = config.clockSkew().toSeconds();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            if (config.requireExpiry()) {
                throw rejected("token has no expiry (exp)");
            }
        } else if (!now.isBefore(exp.toInstant().plusSeconds(skew))) {
            throw rejected("token has expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.isBefore(nbf.toInstant().minusSeconds(skew))) {
            throw rejected("token is not valid yet (nbf)");
        }
    }

    private void checkIssuerAndAudience(JWTClaimsSet claims) {
        if (config.issuer() != null && !config.issuer().equals(claims.getIssuer())) {
            throw rejected("token issuer is not accepted");
        }
        if (config.audience() != null) {
            List<String> audience = claims.getAudience();
            if (audience == null || !audience.contains(config.audience())) {
                throw rejected("token audience is not accepted");
            }
        }
    }

    /** One line a minute at most: a provider outage must not write a line per request. */
    private void warnKeysUnavailable(KeySourceException e) {
        long now = System.nanoTime();
        long last = lastKeyWarning.get();
        if ((last == 0 || now - last >= KEY_WARNING_INTERVAL_NANOS) && lastKeyWarning.compareAndSet(last, now)) {
            LOG.warn("auth=keys-unavailable jwks={} error=\"{}\"", config.jwksUrl(), e.getMessage());
        }
    }

    private static String printable(String value) {
        return value != null && PRINTABLE.matcher(value).matches() ? value : "(unprintable)";
    }

    private static String names(Set<JWSAlgorithm> algorithms) {
        return algorithms.stream().map(JWSAlgorithm::getName).sorted().toList().toString();
    }

    private static GatewayException rejected(String message) {
        return new GatewayException(Reason.UNAUTHORIZED, message);
    }

    @PreDestroy
    @Override
    public void close() {
        try {
            keys.close();
        } catch (IOException e) {
            LOG.debug("auth=close-failed error=\"{}\"", e.getMessage());
        }
    }
}
