package io.ssegateway.deploy;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.ssegateway.deploy.Manifests.at;
import static io.ssegateway.deploy.Manifests.list;
import static io.ssegateway.deploy.Manifests.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keys and credentials reach the gateway from Secrets, never from the ConfigMap. */
class ChartSecretsTest {

    @Test
    void theJwtSecretValueIsStoredInTheChartSecretThatTheDeploymentReferences() {
        Manifests manifests = Chart.scenario("bundled-redis");
        Map<String, Object> secret = manifests.get("Secret", Chart.FULLNAME);
        assertEquals("ci-only-secret-0123456789abcdef0123456789", decode(str(secret, "data", "JWT_SECRET")));
        Map<String, Object> jwt = manifests.env(manifests.gateway(), "JWT_SECRET").orElseThrow();
        assertEquals(Chart.FULLNAME, str(jwt, "valueFrom", "secretKeyRef", "name"));
        assertEquals("JWT_SECRET", str(jwt, "valueFrom", "secretKeyRef", "key"));
    }

    @Test
    void existingSecretsAreReferencedAndTheChartCreatesNone() {
        Manifests manifests = Chart.scenario("existing-secret");
        assertEquals(0, manifests.count("Secret"));
        Map<String, Object> jwt = manifests.env(manifests.gateway(), "JWT_SECRET").orElseThrow();
        assertEquals("sse-gateway-keys", str(jwt, "valueFrom", "secretKeyRef", "name"));
        assertEquals("hs256", str(jwt, "valueFrom", "secretKeyRef", "key"));
        Map<String, Object> redis = manifests.env(manifests.gateway(), "REDIS_URI").orElseThrow();
        assertEquals("sse-gateway-redis", str(redis, "valueFrom", "secretKeyRef", "name"));
        assertEquals("uri", str(redis, "valueFrom", "secretKeyRef", "key"));
    }

    @Test
    void anExternalRedisUriIsKeptInTheSecretBecauseItMayCarryAPassword() {
        Manifests manifests = Chart.scenario("external-redis-hpa");
        assertEquals("redis://redis.data.svc.cluster.local:6379",
                decode(str(manifests.get("Secret", Chart.FULLNAME), "data", "REDIS_URI")));
        Map<String, Object> redis = manifests.env(manifests.gateway(), "REDIS_URI").orElseThrow();
        assertEquals(Chart.FULLNAME, str(redis, "valueFrom", "secretKeyRef", "name"));
        assertFalse(manifests.config().containsKey("REDIS_URI"));
    }

    @Test
    void withoutAKeyASinglePodRunsInDevelopmentModeAndNoSecretIsCreated() {
        Manifests manifests = Chart.scenario("default");
        assertEquals(0, manifests.count("Secret"));
        assertTrue(manifests.env(manifests.gateway(), "JWT_SECRET").isEmpty());
        assertFalse(manifests.config().containsKey("JWT_SECRET"));
    }

    @Test
    void morePodsWithoutAKeyAreRefusedBecauseEachWouldSignWithItsOwn() {
        String refusal = Chart.refusal("replicaCount=2", "redis.enabled=true");
        assertTrue(refusal.contains("development mode"), refusal);
    }

    @Test
    void aJwksUrlIsEnoughForMorePods() {
        Manifests manifests = Chart.with("replicaCount=2", "redis.enabled=true",
                "config.jwksUrl=https://id.example.com/.well-known/jwks.json");
        assertEquals("https://id.example.com/.well-known/jwks.json", str(manifests.config(), "JWT_JWKS_URL"));
    }

    @Test
    void loginUsersAreMountedFromTheSecretAsAConfigFile() {
        Manifests manifests = Chart.scenario("ingress-tls");
        String usersYml = decode(str(manifests.get("Secret", Chart.FULLNAME), "data", "users.yml"));
        Map<String, Object> users = new Yaml().load(usersYml);
        assertEquals(List.of("publisher"), at(users, "sse", "users", "alice", "roles"));
        assertEquals("/etc/sse-gateway/users.yml",
                str(manifests.env(manifests.gateway(), "MICRONAUT_CONFIG_FILES").orElseThrow(), "value"));
        assertTrue(list(manifests.gateway(), "volumeMounts").stream()
                .anyMatch(m -> "/etc/sse-gateway".equals(str(m, "mountPath")) && Boolean.TRUE.equals(at(m, "readOnly"))));
        assertTrue(list(manifests.podSpec(), "volumes").stream()
                .anyMatch(v -> Chart.FULLNAME.equals(str(v, "secret", "secretName"))));
    }

    @Test
    void changingASecretValueRollsThePods() {
        Manifests rotated = Chart.scenarioWith("bundled-redis", "jwt.secret=another-ci-secret-0123456789abcdef0123");
        assertNotEquals(secretChecksum(Chart.scenario("bundled-redis")), secretChecksum(rotated));
    }

    private static String secretChecksum(Manifests manifests) {
        return str(manifests.deployment(), "spec", "template", "metadata", "annotations", "checksum/secret");
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
