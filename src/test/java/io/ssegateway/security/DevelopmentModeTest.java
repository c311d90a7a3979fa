package io.ssegateway.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.micronaut.context.ApplicationContext;
import io.ssegateway.core.Namespace;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DevelopmentModeTest {
    /** Blank values override whatever the environment sets, so each test picks its own mode. */
    private static final Map<String, Object> DEVELOPMENT = Map.of("jwt.secret", "", "jwt.jwks-url", "");

    @Test
    void withoutSecretOrJwksOneWorkingAdminTokenIsLoggedWithAWarning() {
        try (LogCapture log = new LogCapture(); ApplicationContext context = ApplicationContext.run(DEVELOPMENT)) {
            List<String> tokens = log.tokens();
            assertEquals(1, tokens.size(), "exactly one token is logged");

            Principal admin = context.getBean(TokenVerifier.class).verify(tokens.get(0));
            assertEquals("dev-admin", admin.subject());
            assertTrue(admin.isAdmin());
            assertTrue(admin.hasRole("publisher"));
            assertTrue(admin.canSubscribe(Namespace.parse("/any/namespace")));
            assertTrue(admin.publishGrant().allows(Namespace.ROOT));
            Duration left = Duration.between(Instant.now(), admin.expiresAt());
            assertTrue(left.compareTo(Duration.ofHours(23)) > 0 && left.compareTo(Duration.ofHours(24)) <= 0, left.toString());

            ILoggingEvent tokenLine = log.events().stream()
                    .filter(e -> e.getFormattedMessage().contains(tokens.get(0))).findFirst().orElseThrow();
            assertEquals(Level.WARN, tokenLine.getLevel());
            assertTrue(log.events().stream().anyMatch(e -> e.getLevel() == Level.WARN
                    && e.getFormattedMessage().contains("JWT_SECRET")
                    && e.getFormattedMessage().contains("production")));
        }
    }

    @Test
    void eachDevelopmentStartHasItsOwnSecret() {
        String first;
        try (LogCapture log = new LogCapture(); ApplicationContext context = ApplicationContext.run(DEVELOPMENT)) {
            first = log.tokens().get(0);
        }
        try (ApplicationContext context = ApplicationContext.run(DEVELOPMENT)) {
            TokenVerifier verifier = context.getBean(TokenVerifier.class);
            assertEquals("token signature is invalid",
                    assertThrows(RuntimeException.class, () -> verifier.verify(first))
                            .getMessage());
        }
    }

    @Test
    void withASecretNoTokenIsLogged() {
        try (LogCapture log = new LogCapture();
             ApplicationContext context = ApplicationContext.run(Map.of("jwt.secret", Jwts.SECRET, "jwt.jwks-url", ""))) {
            assertTrue(log.tokens().isEmpty());
            assertFalse(context.getBean(SigningSecret.class).generated());
            assertFalse(log.events().stream().anyMatch(e -> e.getFormattedMessage().contains(Jwts.SECRET)));
        }
    }
}
