package io.ssegateway.deploy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;

import static io.ssegateway.deploy.Manifests.at;
import static io.ssegateway.deploy.Manifests.list;
import static io.ssegateway.deploy.Manifests.map;
import static io.ssegateway.deploy.Manifests.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every pod the chart creates runs as a non-root user, read-only, without capabilities or an API token. */
class ChartSecurityTest {

    @ParameterizedTest
    @MethodSource("io.ssegateway.deploy.Chart#scenarios")
    void everyPodRunsAsANonRootUserWithoutAnApiToken(String scenario) {
        for (Map<String, Object> pod : pods(scenario)) {
            assertEquals(true, at(pod, "securityContext", "runAsNonRoot"));
            assertTrue(((Number) at(pod, "securityContext", "runAsUser")).intValue() > 0);
            assertEquals(false, pod.get("automountServiceAccountToken"));
        }
    }

    @ParameterizedTest
    @MethodSource("io.ssegateway.deploy.Chart#scenarios")
    void everyContainerHasAReadOnlyRootAndNoCapabilities(String scenario) {
        for (Map<String, Object> pod : pods(scenario)) {
            for (Object container : list(pod, "containers")) {
                String name = str(container, "name");
                assertEquals(true, at(container, "securityContext", "readOnlyRootFilesystem"), name);
                assertEquals(false, at(container, "securityContext", "allowPrivilegeEscalation"), name);
                assertEquals(List.of("ALL"), at(container, "securityContext", "capabilities", "drop"), name);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.ssegateway.deploy.Chart#scenarios")
    void theGatewayWritesOnlyToAnEmptyDirTmp(String scenario) {
        Manifests manifests = Chart.scenario(scenario);
        assertTrue(list(manifests.gateway(), "volumeMounts").stream()
                .anyMatch(m -> "tmp".equals(str(m, "name")) && "/tmp".equals(str(m, "mountPath"))));
        assertTrue(list(manifests.podSpec(), "volumes").stream()
                .anyMatch(v -> "tmp".equals(str(v, "name")) && at(v, "emptyDir") != null));
    }

    private static List<Map<String, Object>> pods(String scenario) {
        return Chart.scenario(scenario).all().stream()
                .filter(o -> "Deployment".equals(o.get("kind")))
                .map(d -> map(d, "spec", "template", "spec"))
                .toList();
    }
}
