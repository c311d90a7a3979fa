package io.ssegateway.deploy;

import org.junit.jupiter.api.Test;

import static io.ssegateway.deploy.Manifests.str;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Kubernetes asks the gateway's own health endpoints, on its HTTP port. */
class ChartProbesTest {

    private final Manifests manifests = Chart.scenario("default");

    @Test
    void readinessFollowsTheReadinessEndpointThatGoesDownWhileDraining() {
        assertEquals("/health/readiness", str(manifests.gateway(), "readinessProbe", "httpGet", "path"));
        assertEquals("http", str(manifests.gateway(), "readinessProbe", "httpGet", "port"));
    }

    @Test
    void livenessAndStartupFollowTheLivenessEndpoint() {
        assertEquals("/health/liveness", str(manifests.gateway(), "livenessProbe", "httpGet", "path"));
        assertEquals("/health/liveness", str(manifests.gateway(), "startupProbe", "httpGet", "path"));
    }

    @Test
    void theHttpPortIsTheOneTheGatewayListensOn() {
        Manifests moved = Chart.with("containerPort=9090");
        assertEquals("9090", str(moved.config(), "MICRONAUT_SERVER_PORT"));
        assertEquals("9090", str(moved.gateway(), "ports", 0, "containerPort"));
        assertEquals("http", str(moved.gateway(), "ports", 0, "name"));
    }
}
