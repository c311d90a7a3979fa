package io.ssegateway.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.ssegateway.deploy.Manifests.at;
import static io.ssegateway.deploy.Manifests.map;
import static io.ssegateway.deploy.Manifests.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Behind ingress-nginx, events pass unbuffered over HTTP/1.1 and idle streams are not cut. */
class ChartIngressTest {

    private static final String NGINX = "nginx.ingress.kubernetes.io/";

    @Test
    void ingressNginxDoesNotBufferStreamsAndKeepsThemOpen() {
        Map<String, Object> annotations = annotations(Chart.scenario("ingress-tls"));
        assertEquals("off", annotations.get(NGINX + "proxy-buffering"));
        assertEquals("1.1", annotations.get(NGINX + "proxy-http-version"));
        assertEquals("7200", annotations.get(NGINX + "proxy-read-timeout"));
        assertEquals("7200", annotations.get(NGINX + "proxy-send-timeout"));
    }

    @Test
    void theStreamTimeoutOutlastsTheKeepaliveByDefault() {
        Map<String, Object> annotations = annotations(Chart.with("ingress.enabled=true"));
        assertTrue(Integer.parseInt((String) annotations.get(NGINX + "proxy-read-timeout")) >= 3600);
    }

    @Test
    void userAnnotationsWinOverTheSseDefaults() {
        Map<String, Object> annotations = annotations(Chart.withValuesYaml("""
                ingress:
                  enabled: true
                  annotations:
                    nginx.ingress.kubernetes.io/proxy-read-timeout: "86400"
                """));
        assertEquals("86400", annotations.get(NGINX + "proxy-read-timeout"));
        assertEquals("off", annotations.get(NGINX + "proxy-buffering"));
    }

    @Test
    void otherControllersGetNoNginxAnnotations() {
        Map<String, Object> ingress = Chart.with("ingress.enabled=true", "ingress.nginxSse=false", "ingress.className=traefik")
                .get("Ingress", Chart.FULLNAME);
        assertNull(at(ingress, "metadata", "annotations"));
        assertEquals("traefik", str(ingress, "spec", "ingressClassName"));
    }

    @Test
    void tlsAndHostsRouteToTheGatewayService() {
        Map<String, Object> ingress = Chart.scenario("ingress-tls").get("Ingress", Chart.FULLNAME);
        assertEquals("sse-example-tls", str(ingress, "spec", "tls", 0, "secretName"));
        assertEquals(List.of("sse.example.com"), at(ingress, "spec", "tls", 0, "hosts"));
        assertEquals("sse.example.com", str(ingress, "spec", "rules", 0, "host"));
        assertEquals(Chart.FULLNAME, str(ingress, "spec", "rules", 0, "http", "paths", 0, "backend", "service", "name"));
    }

    @Test
    void noIngressUnlessEnabled() {
        assertEquals(0, Chart.scenario("default").count("Ingress"));
    }

    private static Map<String, Object> annotations(Manifests manifests) {
        return map(manifests.get("Ingress", Chart.FULLNAME), "metadata", "annotations");
    }
}
