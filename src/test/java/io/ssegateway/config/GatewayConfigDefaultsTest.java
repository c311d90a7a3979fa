package io.ssegateway.config;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The defaults application.properties gives, as the README documents them. */
class GatewayConfigDefaultsTest {

    @Test
    void channelPrefixDefaultsToSseColon() {
        // Without the environment, so that a SSE_CHANNEL_PREFIX set on the machine does not decide.
        try (ApplicationContext context = ApplicationContext.builder().environmentPropertySource(false)
                .properties(Map.of("sse.control.port", 0)).start()) {
            assertEquals("sse:", context.getBean(GatewayConfig.class).channelPrefix());
            // The one setting given is read: the test binds no fixed port.
            assertEquals(0, context.getBean(ControlConfig.class).port());
        }
    }

    @Test
    void theDrainTakesTheSpecsTenSecondsAndReconnectsAreSpreadByDefault() {
        try (ApplicationContext context = ApplicationContext.builder().environmentPropertySource(false)
                .properties(Map.of("sse.control.port", 0)).start()) {
            GatewayConfig config = context.getBean(GatewayConfig.class);
            // SPEC §6 and §7: "spread over a drain period (default 10 s)".
            assertEquals(Duration.ofSeconds(10), config.drainPeriod());
            assertEquals(Duration.ofMillis(500), config.reconnectDelayMin());
            assertEquals(Duration.ofSeconds(3), config.reconnectDelayMax());
            assertEquals(0.2, config.maxConnectionAgeJitter());
            assertEquals(Duration.ofSeconds(15), config.keepaliveInterval());
        }
    }
}
