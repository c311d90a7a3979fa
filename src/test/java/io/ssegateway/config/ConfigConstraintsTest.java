package io.ssegateway.config;

import io.micronaut.context.ApplicationContext;
import io.ssegateway.security.LoginLimits;
import io.ssegateway.security.SecurityConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A value the records' constraints refuse stops start-up with one line that names the setting. */
class ConfigConstraintsTest {

    @ParameterizedTest
    @CsvSource({
            "sse.max-payload, 0",
            "sse.replay-limit, -1",
            "sse.max-connections, -5",
            "sse.channel-prefix, ' '",
            "sse.subscribe-auth, jwt-please",
            "sse.max-connection-age-jitter, 1.5",
            "sse.history.max-length, 0",
            "sse.control.port, 70000",
            "sse.login.threads, 0",
            "sse.login.queue, -1",
            "sse.login.address-burst, 0",
            "sse.login.user-burst, -3",
            "sse.login.max-tracked, 0",
            "sse.login.address-refill, 0s",
            "sse.login.user-refill, -5s",
            "jwt.token-lifetime, 0s",
            "jwt.jwks-cache-ttl, -1m",
    })
    void aBadValueFailsAtStartUpNamingTheSetting(String setting, String value) {
        Map<String, Object> properties = new HashMap<>(Map.of("sse.control.port", 0));
        properties.put(setting, value);
        RuntimeException e = assertThrows(RuntimeException.class, () -> {
            try (ApplicationContext context = ApplicationContext.builder().environmentPropertySource(false)
                    .properties(properties).start()) {
                context.getBean(recordOf(setting));
            }
        });
        String reason = GatewayLauncher.reason(e);
        String variable = ConstraintFailure.environmentVariable(setting);
        assertTrue(reason.startsWith(setting + " (" + variable + ") must "), reason);
        assertFalse(reason.contains("\n"), reason);
    }

    /** The record that binds {@code setting}. */
    private static Class<? extends Record> recordOf(String setting) {
        if (setting.startsWith("sse.login.")) {
            return LoginLimits.class;
        }
        return setting.startsWith("jwt.") ? SecurityConfig.class : GatewayConfig.class;
    }
}
