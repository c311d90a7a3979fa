package io.ssegateway.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static io.ssegateway.deploy.Manifests.at;
import static io.ssegateway.deploy.Manifests.list;
import static io.ssegateway.deploy.Manifests.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stopping pod first leaves the Service (preStop sleep), then drains its streams and exits within
 * the drain period, and the kubelet waits for all of it before SIGKILL: clients move to other pods
 * and resume.
 */
class ChartShutdownTest {

    @ParameterizedTest
    @MethodSource("io.ssegateway.deploy.Chart#scenarios")
    void terminationGraceOutlastsThePreStopSleepAndTheDrain(String scenario) {
        Manifests manifests = Chart.scenario(scenario);
        int grace = ((Number) manifests.podSpec().get("terminationGracePeriodSeconds")).intValue();
        int drain = seconds(str(manifests.config(), "SSE_DRAIN_PERIOD"));
        int preStop = Integer.parseInt(str(manifests.gateway(), "lifecycle", "preStop", "exec", "command", 1));
        assertTrue(grace > preStop + drain, () -> "grace " + grace + "s, preStop " + preStop + "s, drain " + drain + "s");
    }

    @Test
    void theDefaultsFitTheKubernetesDefaultGraceWithTheKillClearOfTheGatewaysOwnExit() {
        Manifests manifests = Chart.scenario("default");
        int drain = seconds(str(manifests.config(), "SSE_DRAIN_PERIOD"));
        int preStop = Integer.parseInt(str(manifests.gateway(), "lifecycle", "preStop", "exec", "command", 1));
        assertEquals(30, manifests.podSpec().get("terminationGracePeriodSeconds"));
        // The gateway has exited when its drain period is over (GracefulDrainTest); SIGKILL comes later.
        assertTrue(30 - preStop - drain >= 2, () -> "preStop " + preStop + "s, drain " + drain + "s");
    }

    @Test
    void theDrainPeriodValueReachesTheGatewayAndTheGracePeriod() {
        Manifests manifests = Chart.with("drainPeriod=45", "preStopSleep=7", "terminationGraceMargin=8");
        assertEquals("45s", str(manifests.config(), "SSE_DRAIN_PERIOD"));
        assertEquals(60, manifests.podSpec().get("terminationGracePeriodSeconds"));
    }

    @Test
    void preStopSleepsSoThePodLeavesTheEndpointsBeforeItDrains() {
        Manifests manifests = Chart.scenario("default");
        assertEquals(List.of("sleep", "5"), list(manifests.gateway(), "lifecycle", "preStop", "exec", "command"));
    }

    @Test
    void preStopCanUseTheKubeletSleepActionForImagesWithoutAShell() {
        Manifests manifests = Chart.with("preStopSleepAction=true", "preStopSleep=4");
        assertEquals(4, at(manifests.gateway(), "lifecycle", "preStop", "sleep", "seconds"));
        assertNull(at(manifests.gateway(), "lifecycle", "preStop", "exec"));
    }

    @Test
    void rollingUpdatesKeepFullCapacityWhileOldPodsDrain() {
        Manifests manifests = Chart.scenario("default");
        assertEquals("RollingUpdate", str(manifests.deployment(), "spec", "strategy", "type"));
        assertEquals(0, at(manifests.deployment(), "spec", "strategy", "rollingUpdate", "maxUnavailable"));
    }

    private static int seconds(String duration) {
        assertTrue(duration.matches("[0-9]+s"), duration);
        return Integer.parseInt(duration.substring(0, duration.length() - 1));
    }
}
