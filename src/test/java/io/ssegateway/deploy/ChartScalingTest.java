package io.ssegateway.deploy;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.ssegateway.deploy.Manifests.at;
import static io.ssegateway.deploy.Manifests.list;
import static io.ssegateway.deploy.Manifests.map;
import static io.ssegateway.deploy.Manifests.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scaling, disruption budget and monitoring objects appear when enabled and point at the gateway pods. */
class ChartScalingTest {

    @Test
    void anAutoscalerReplacesTheFixedReplicaCount() {
        Manifests manifests = Chart.scenario("external-redis-hpa");
        Map<String, Object> hpa = manifests.get("HorizontalPodAutoscaler", Chart.FULLNAME);
        assertEquals("autoscaling/v2", hpa.get("apiVersion"));
        assertEquals(Chart.FULLNAME, str(hpa, "spec", "scaleTargetRef", "name"));
        assertEquals(3, at(hpa, "spec", "minReplicas"));
        assertEquals(12, at(hpa, "spec", "maxReplicas"));
        assertEquals(2, list(hpa, "spec", "metrics").size());
        assertFalse(map(manifests.deployment(), "spec").containsKey("replicas"), "the HPA owns spec.replicas");
    }

    @Test
    void theAutoscalerScalesDownSlowlyBecauseEveryRemovedPodMovesItsClients() {
        Map<String, Object> hpa = Chart.scenario("external-redis-hpa").get("HorizontalPodAutoscaler", Chart.FULLNAME);
        assertTrue(((Number) at(hpa, "spec", "behavior", "scaleDown", "stabilizationWindowSeconds")).intValue() >= 60);
    }

    @Test
    void noAutoscalerUnlessEnabled() {
        Manifests manifests = Chart.scenario("bundled-redis");
        assertEquals(0, manifests.count("HorizontalPodAutoscaler"));
        assertEquals(2, at(manifests.deployment(), "spec", "replicas"));
    }

    @Test
    void theDisruptionBudgetSelectsExactlyTheGatewayPods() {
        Manifests manifests = Chart.scenario("bundled-redis");
        Map<String, Object> pdb = manifests.get("PodDisruptionBudget", Chart.FULLNAME);
        assertEquals("policy/v1", pdb.get("apiVersion"));
        assertEquals(1, at(pdb, "spec", "maxUnavailable"));
        assertEquals(at(manifests.deployment(), "spec", "selector", "matchLabels"), at(pdb, "spec", "selector", "matchLabels"));
    }

    @Test
    void noDisruptionBudgetWhenDisabled() {
        assertEquals(0, Chart.with("podDisruptionBudget.enabled=false").count("PodDisruptionBudget"));
    }

    @Test
    void aServiceMonitorScrapesThePrometheusEndpointWhenEnabled() {
        Map<String, Object> monitor = Chart.scenario("external-redis-hpa").get("ServiceMonitor", Chart.FULLNAME);
        assertEquals("/prometheus", str(monitor, "spec", "endpoints", 0, "path"));
        assertEquals("http", str(monitor, "spec", "endpoints", 0, "port"));
        assertEquals("prometheus", str(monitor, "metadata", "labels", "release"));
        assertEquals(0, Chart.scenario("default").count("ServiceMonitor"));
    }
}
