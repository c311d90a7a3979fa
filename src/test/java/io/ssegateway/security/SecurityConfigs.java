package io.ssegateway.security;

import java.time.Duration;

/**
 * Settings for tests that build a verifier without an application context: the key under test,
 * and fixed values for the rest (those a test's tokens are made for: a 30 s clock skew, a 5 min
 * key cache). The application's defaults are on {@link SecurityConfig}'s bindings only.
 */
final class SecurityConfigs {
    private SecurityConfigs() {
    }

    static SecurityConfig withSecret(String secret) {
        return of(secret, null);
    }

    static SecurityConfig withJwksUrl(String jwksUrl) {
        return of(null, jwksUrl);
    }

    static SecurityConfig of(String secret, String jwksUrl) {
        return of(secret, jwksUrl, Duration.ofSeconds(30), null, null, false);
    }

    static SecurityConfig of(String secret, String jwksUrl, Duration clockSkew, String issuer, String audience,
                             boolean requireExpiry) {
        return new SecurityConfig(secret, jwksUrl, Duration.ofHours(1), clockSkew, issuer, audience, requireExpiry,
                Duration.ofMinutes(5), Duration.ofSeconds(30));
    }
}
