package io.ssegateway.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.ssegateway.deploy.Manifests.at;
import static io.ssegateway.deploy.Manifests.list;
import static io.ssegateway.deploy.Manifests.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A sidecar publishes through a FIFO on a volume it shares with the gateway, and only when asked to. */
class ChartFifoTest {

    private static final String FIFO = "/var/run/sse/events.fifo";

    @Test
    void theSidecarAndTheGatewayShareTheFifoVolume() {
        Manifests manifests = Chart.scenario("fifo-sidecar");
        assertEquals("/var/run/sse", mountPath(manifests.gateway(), "fifo"));
        assertEquals("/var/run/sse", mountPath(manifests.container("ticker"), "fifo"));
        Object volume = list(manifests.podSpec(), "volumes").stream()
                .filter(v -> "fifo".equals(str(v, "name"))).findFirst().orElseThrow();
        assertNotNull(at(volume, "emptyDir"));
    }

    @Test
    void bothContainersAreToldTheSameFifoPathInsideTheSharedVolume() {
        Manifests manifests = Chart.scenario("fifo-sidecar");
        assertEquals(FIFO, str(manifests.config(), "SSE_FIFO_PATH"));
        assertEquals(FIFO, str(manifests.env(manifests.container("ticker"), "SSE_FIFO_PATH").orElseThrow(), "value"));
    }

    @Test
    void noSidecarFifoOrSharedVolumeUnlessEnabled() {
        Manifests manifests = Chart.scenario("default");
        assertEquals(List.of("gateway"), list(manifests.podSpec(), "containers").stream().map(c -> str(c, "name")).toList());
        assertFalse(manifests.config().containsKey("SSE_FIFO_PATH"));
        assertTrue(list(manifests.podSpec(), "volumes").stream().noneMatch(v -> "fifo".equals(str(v, "name"))));
    }

    private static String mountPath(Map<String, Object> container, String volume) {
        return list(container, "volumeMounts").stream()
                .filter(m -> volume.equals(str(m, "name"))).map(m -> str(m, "mountPath")).findFirst().orElseThrow();
    }
}
