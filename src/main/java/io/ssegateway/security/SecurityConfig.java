package io.ssegateway.security;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.ssegateway.config.PositiveDuration;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * How tokens are verified and issued, under {@code jwt.*} in {@code application.properties}.
 *
 * <p>Which tokens are accepted follows from what is set: {@code secret} accepts HS256 signed with
 * it (and lets {@code /login} issue tokens); {@code jwksUrl} accepts RS256, RS384, RS512, ES256,
 * ES384 and PS256 signed by a key the identity provider publishes there. Both may be set, and
 * each algorithm is then checked only against its own kind of key. With neither, the gateway is
 * in development mode (see {@link DevelopmentMode}).
 *
 * <p>Invalid values stop startup with a message that names the setting; the secret itself is
 * never part of a message. The defaults are those of the {@code @Bindable}s here and nowhere
 * else: the record is only ever built by binding the configuration.
 *
 * @param secret HS256 secret ({@code JWT_SECRET}), its UTF-8 bytes used as the key; at least
 *     {@value #MIN_SECRET_BYTES} bytes; blank counts as unset
 * @param jwksUrl http(s) URL of the identity provider's JWK set ({@code JWT_JWKS_URL}); blank
 *     counts as unset
 * @param tokenLifetime how long a token issued by {@code /login} is valid
 * @param clockSkew tolerance for {@code exp} and {@code nbf}, for clocks that disagree a little
 * @param issuer when set, tokens must carry exactly this {@code iss}; issued tokens carry it
 * @param audience when set, tokens' {@code aud} must include it; issued tokens carry it
 * @param requireExpiry reject tokens without {@code exp} (accepted by default, as Mercure and
 *     Centrifugo do, for long-lived publisher tokens)
 * @param jwksCacheTtl how long fetched keys are used before they are fetched again
 * @param jwksMinRefreshInterval keys are fetched at most twice per this interval, however many
 *     tokens with an unknown key id arrive: an attacker cannot make us hammer the provider
 */
@ConfigurationProperties("jwt")
public record SecurityConfig(
        @Nullable String secret,
        @Nullable String jwksUrl,
        @Bindable(defaultValue = "1h") @PositiveDuration Duration tokenLifetime,
        @Bindable(defaultValue = "30s") Duration clockSkew,
        @Nullable String issuer,
        @Nullable String audience,
        @Bindable(defaultValue = "false") boolean requireExpiry,
        @Bindable(defaultValue = "5m") @PositiveDuration Duration jwksCacheTtl,
        @Bindable(defaultValue = "30s") Duration jwksMinRefreshInterval) {

    /** HS256 keys shorter than the hash output (256 bits) are weak, and RFC 7518 §3.2 forbids them. */
    public static final int MIN_SECRET_BYTES = 32;

    public SecurityConfig {
        secret = blankToNull(secret);
        jwksUrl = blankToNull(jwksUrl);
        issuer = blankToNull(issuer);
        audience = blankToNull(audience);
        if (secret != null) {
            int bytes = secret.getBytes(StandardCharsets.UTF_8).length;
            if (bytes < MIN_SECRET_BYTES) {
                throw new ConfigurationException("jwt.secret (JWT_SECRET) is " + bytes + " bytes long; HS256 needs at least "
                        + MIN_SECRET_BYTES + " bytes. Generate one with: openssl rand -base64 48");
            }
        }
        if (jwksUrl != null) {
            checkUrl(jwksUrl);
        }
        if (clockSkew.isNegative() || jwksMinRefreshInterval.isNegative()) {
            throw new ConfigurationException("jwt.clock-skew and jwt.jwks-min-refresh-interval must not be negative");
        }
    }

    /** The same settings with another secret and token lifetime. */
    public SecurityConfig withIssuing(@Nullable String secret, Duration tokenLifetime) {
        return new SecurityConfig(secret, jwksUrl, tokenLifetime, clockSkew, issuer, audience, requireExpiry,
                jwksCacheTtl, jwksMinRefreshInterval);
    }

    /** Neither a secret nor a JWK set: development mode. */
    public boolean developmentMode() {
        return secret == null && jwksUrl == null;
    }

    /** Records print every component; the secret must not reach a log that way. */
    @Override
    public String toString() {
        return "SecurityConfig[secret=" + (secret == null ? "unset" : "set") + ", jwksUrl=" + jwksUrl
                + ", tokenLifetime=" + tokenLifetime + ", clockSkew=" + clockSkew + ", issuer=" + issuer
                + ", audience=" + audience + ", requireExpiry=" + requireExpiry + ", jwksCacheTtl=" + jwksCacheTtl
                + ", jwksMinRefreshInterval=" + jwksMinRefreshInterval + "]";
    }

    private static void checkUrl(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (uri.getHost() == null || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                throw new ConfigurationException("jwt.jwks-url (JWT_JWKS_URL) must be an http or https URL");
            }
        } catch (URISyntaxException e) {
            throw new ConfigurationException("jwt.jwks-url (JWT_JWKS_URL) is not a valid URL");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
