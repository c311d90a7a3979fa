package io.ssegateway.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What helm prints after an install tells how to reach the gateway and what is not production-ready. */
class ChartNotesTest {

    @ParameterizedTest
    @MethodSource("io.ssegateway.deploy.Chart#scenarios")
    void everyScenarioSaysHowToSubscribe(String scenario) {
        String notes = Chart.notes(scenario);
        assertTrue(notes.contains("curl -N http://" + Chart.FULLNAME + ":80/subscribe/pets"), notes);
    }

    @Test
    void developmentModeAndTheLocalBrokerAreWarnedAbout() {
        String notes = Chart.notes("default");
        assertTrue(notes.contains("WARNING") && notes.contains("development mode"), notes);
        assertTrue(notes.contains("single instance"), notes);
    }

    @Test
    void theBundledRedisIsCalledThrowawayAndProductionSettingsAreNot() {
        assertTrue(Chart.notes("bundled-redis").contains("history is lost whenever that pod restarts"));
        String production = Chart.notes("external-redis-hpa");
        assertFalse(production.contains("WARNING"), production);
        assertTrue(production.contains("external Redis"), production);
    }

    @Test
    void theIngressHostIsShownWithItsScheme() {
        assertTrue(Chart.notes("ingress-tls").contains("curl -N https://sse.example.com/subscribe/pets"));
    }
}
