package io.ssegateway.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.spec.SecretKeySpec;
import java.io.Closeable;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.security.Key;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The keys a token may be verified with, chosen by its algorithm. HS256 is checked only against
 * the secret and the asymmetric algorithms only against keys from the JWK set, so no token can
 * make a public key serve as an HMAC secret (algorithm confusion).
 *
 * <p>JWK set keys are fetched in the background at startup and cached; a scheduled refresh
 * renews them before the cache expires, so verification normally does no network I/O. A key
 * id that is not in the cache triggers a refresh, rate limited by
 * {@link SecurityConfig#jwksMinRefreshInterval()}.
 */
@Internal
final class VerificationKeys implements JWSKeySelector<SecurityContext>, Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(VerificationKeys.class);

    static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.PS256);

    /** A provider that hangs must not hold a verifying thread for long. */
    private static final int HTTP_TIMEOUT_MILLIS = 2_000;
    /** A JWK set is a few keys; a larger answer is a misconfiguration or an attack. */
    private static final int HTTP_SIZE_LIMIT_BYTES = 256 * 1024;
    /** Renew keys this long before the cache expires, in the background. */
    private static final long REFRESH_AHEAD_MILLIS = 30_000;
    /** How long a caller waits for a refresh another thread started. */
    private static final long REFRESH_TIMEOUT_MILLIS = 5_000;

    private final Key hmacKey;
    private final JWKSource<SecurityContext> jwkSource;
    private final JWSVerificationKeySelector<SecurityContext> jwkSelector;
    private final Set<JWSAlgorithm> accepted;
    private final String jwksUrl;

    VerificationKeys(SecurityConfig config, SigningSecret secret) {
        Set<JWSAlgorithm> algorithms = new HashSet<>();
        byte[] key = secret.bytes();
        this.hmacKey = key == null ? null : new SecretKeySpec(key, "HmacSHA256");
        if (hmacKey != null) {
            algorithms.add(JWSAlgorithm.HS256);
        }
        this.jwksUrl = config.jwksUrl();
        if (jwksUrl != null) {
            this.jwkSource = remoteSource(config);
            this.jwkSelector = new JWSVerificationKeySelector<>(ASYMMETRIC, jwkSource);
            algorithms.addAll(ASYMMETRIC);
        } else {
            this.jwkSource = null;
            this.jwkSelector = null;
        }
        this.accepted = Set.copyOf(algorithms);
    }

    private static JWKSource<SecurityContext> remoteSource(SecurityConfig config) {
        long ttl = config.jwksCacheTtl().toMillis();
        try {
            return JWKSourceBuilder.<SecurityContext>create(URI.create(config.jwksUrl()).toURL(),
                            new DefaultResourceRetriever(HTTP_TIMEOUT_MILLIS, HTTP_TIMEOUT_MILLIS, HTTP_SIZE_LIMIT_BYTES))
                    .cache(ttl, REFRESH_TIMEOUT_MILLIS)
                    .refreshAheadCache(Math.min(REFRESH_AHEAD_MILLIS, ttl / 2), true)
                    .rateLimited(config.jwksMinRefreshInterval().toMillis())
                    .retrying(true)
                    // A provider outage must not lock every client out while the keys we hold are still good.
                    .outageTolerant(ttl * 10)
                    .build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new ConfigurationException("jwt.jwks-url (JWT_JWKS_URL) is not a valid URL");
        }
    }

    /** The algorithms a token may be signed with. */
    Set<JWSAlgorithm> accepted() {
        return accepted;
    }

    /**
     * Fetches the JWK set once on a background thread, so the first token does not wait for it.
     * The future completes (never exceptionally) when that attempt is over, fetched or not.
     */
    CompletableFuture<Void> warmUp() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (jwkSource == null) {
            done.complete(null);
            return done;
        }
        Thread thread = new Thread(() -> {
            try {
                List<JWK> keys = jwkSource.get(new JWKSelector(new JWKMatcher.Builder().build()), null);
                LOG.info("jwks=loaded url={} keys={}", jwksUrl, keys.size());
            } catch (KeySourceException | RuntimeException e) {
                LOG.warn("jwks=unavailable url={} error=\"{}\" Tokens cannot be verified until the keys can be fetched",
                        jwksUrl, e.getMessage());
            } finally {
                done.complete(null);
            }
        }, "jwks-warm-up");
        thread.setDaemon(true);
        thread.start();
        return done;
    }

    @Override
    public List<? extends Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
        JWSAlgorithm alg = header.getAlgorithm();
        if (JWSAlgorithm.HS256.equals(alg)) {
            return hmacKey == null ? List.of() : List.of(hmacKey);
        }
        if (jwkSelector != null && ASYMMETRIC.contains(alg)) {
            return jwkSelector.selectJWSKeys(header, context);
        }
        return List.of();
    }

    @Override
    public void close() throws IOException {
        if (jwkSource instanceof Closeable closeable) {
            closeable.close();
        }
    }
}
