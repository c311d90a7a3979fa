package io.ssegateway.security;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecurityConfigTest {

    private static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append('\n');
        }
        return all.toString();
    }

    @Test
    void secretShorterThan32BytesFailsStartupWithAClearMessage() {
        String shortSecret = "only-31-bytes-long-secret-value";
        assertEquals(31, shortSecret.length());

        Exception e = assertThrows(Exception.class,
                () -> ApplicationContext.run(Map.of("jwt.secret", shortSecret)).close());

        String messages = messages(e);
        assertTrue(messages.contains("JWT_SECRET") && messages.contains("at least 32 bytes"), messages);
        assertFalse(messages.contains(shortSecret), "the secret must not be shown");
    }

    @Test
    void jwksUrlThatIsNotHttpFailsStartup() {
        Exception e = assertThrows(Exception.class,
                () -> ApplicationContext.run(Map.of("jwt.jwks-url", "file:///etc/passwd")).close());

        assertTrue(messages(e).contains("JWT_JWKS_URL"), messages(e));
    }

    @Test
    void settingsAreReadFromTheJwtSection() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "jwt.secret", Jwts.SECRET, "jwt.token-lifetime", "15m", "jwt.clock-skew", "5s",
                "jwt.issuer", "https://sse.example", "jwt.audience", ""))) {
            SecurityConfig config = context.getBean(SecurityConfig.class);

            assertEquals(Jwts.SECRET, config.secret());
            assertEquals(Duration.ofMinutes(15), config.tokenLifetime());
            assertEquals(Duration.ofSeconds(5), config.clockSkew());
            assertEquals("https://sse.example", config.issuer());
            assertNull(config.audience());
            assertNull(config.jwksUrl());
        }
    }

    @Test
    void defaultsMatchTheContract() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("jwt.secret", Jwts.SECRET))) {
            SecurityConfig config = context.getBean(SecurityConfig.class);

            assertEquals(Duration.ofSeconds(3600), config.tokenLifetime());
            assertEquals(Duration.ofSeconds(30), config.clockSkew());
            assertEquals(Duration.ofMinutes(5), config.jwksCacheTtl());
            assertEquals(Duration.ofSeconds(30), config.jwksMinRefreshInterval());
            assertFalse(config.requireExpiry());
        }
    }

    /** JWT_TOKEN_LIFETIME set, even to the value of its default, wins over Micronaut's key. */
    @Test
    void aDocumentedLifetimeWinsOverMicronautsEvenAtTheDefaultsValue() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("jwt.secret", Jwts.SECRET,
                "jwt.token-lifetime", "1h", "micronaut.security.token.generator.access-token.expiration", 120))) {
            assertEquals(Duration.ofHours(1), context.getBean(SecurityConfig.class).tokenLifetime());
        }
    }

    @Test
    void theSecretIsNeverPrinted() {
        assertFalse(SecurityConfigs.withSecret(Jwts.SECRET).toString().contains(Jwts.SECRET));
        assertFalse(new SigningSecret(SecurityConfigs.withSecret(Jwts.SECRET)).toString().contains(Jwts.SECRET));
    }

    /** Micronaut Security's own names for the signing secret and the token lifetime work as JWT_SECRET does. */
    @Test
    void micronautSecurityKeysAreHonoured() {
        String secret = "a-secret-given-the-micronaut-way-0123456789";
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "micronaut.security.token.jwt.signatures.secret.generator.secret", secret,
                "micronaut.security.token.generator.access-token.expiration", 120))) {
            SecurityConfig config = context.getBean(SecurityConfig.class);
            assertEquals(secret, config.secret());
            assertEquals(java.time.Duration.ofSeconds(120), config.tokenLifetime());
            assertFalse(config.developmentMode());
            // The library's own secret signature would be a second "generator"; the gateway's takes its place.
            String token = context.getBean(TokenIssuer.class).issue("ops", java.util.List.of("admin"), null,
                    java.util.List.of(), java.time.Duration.ofMinutes(1));
            assertEquals("ops", context.getBean(TokenVerifier.class).verify(token).subject());
        }
    }
}
