package io.ssegateway.security;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.ssegateway.config.GatewayLauncher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Micronaut Security settings that would quietly change who gets in stop start-up instead, in one line. */
class SecuritySettingsRefusalTest {

    private static Map<String, Object> properties(String setting, String value) {
        Map<String, Object> properties = new HashMap<>(LoginControllerTest.SERVER);
        properties.put("sse.control.port", 0);
        properties.put("jwt.secret", Jwts.SECRET);
        properties.put(setting, value);
        return properties;
    }

    @ParameterizedTest
    @CsvSource({
            "micronaut.security.enabled, false",
            "micronaut.security.token.roles-name, groups",
            "micronaut.security.token.name-key, email",
    })
    void aSettingTheGatewayCannotHonourStopsStartUpNamingIt(String setting, String value) {
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> ApplicationContext.run(EmbeddedServer.class, properties(setting, value)).close());

        String reason = GatewayLauncher.reason(e);
        assertTrue(reason.startsWith(setting + "=" + value + " "), reason);
        assertFalse(reason.contains("\n"), reason);
    }

    @Test
    void theClaimNamesTheGatewayReadsMayBeSpelledOut() {
        Map<String, Object> properties = properties("micronaut.security.token.roles-name", "roles");
        properties.put("micronaut.security.token.name-key", "sub");
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties)) {
            assertTrue(server.isRunning());
            String token = server.getApplicationContext().getBean(TokenIssuer.class)
                    .issue("ops", java.util.List.of(Principal.ROLE_ADMIN), null, java.util.List.of(), java.time.Duration.ofMinutes(1));
            assertEquals(java.util.Set.of(Principal.ROLE_ADMIN),
                    server.getApplicationContext().getBean(TokenVerifier.class).verify(token).roles());
        }
    }
}
