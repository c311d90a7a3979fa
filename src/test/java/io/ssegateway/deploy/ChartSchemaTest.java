package io.ssegateway.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chart lints clean, every CI scenario renders, and values.schema.json refuses what it should. */
class ChartSchemaTest {

    @Test
    void chartPassesStrictLint() {
        LintResult lint = new Helm(Chart.DIR).lint().strict().call();
        assertFalse(lint.isFailed(), () -> String.join("\n", lint.getMessages()));
        // Strict mode fails on warnings; INFO (a missing icon) is all that may remain.
        lint.getMessages().forEach(m -> assertTrue(m.startsWith("[INFO]"), m));
    }

    @Test
    void theCiScenariosCoverTheMainDeploymentShapes() {
        assertTrue(Chart.scenarios().containsAll(List.of(
                "default", "bundled-redis", "external-redis-hpa", "fifo-sidecar", "existing-secret", "ingress-tls")),
                () -> "scenarios: " + Chart.scenarios());
    }

    @ParameterizedTest
    @MethodSource("io.ssegateway.deploy.Chart#scenarios")
    void everyScenarioPassesTheSchemaAndRendersAGateway(String scenario) {
        Manifests manifests = Chart.scenario(scenario);
        assertEquals("gateway", Manifests.str(manifests.gateway(), "name"));
        assertEquals("http", Manifests.str(manifests.get("Service", Chart.FULLNAME), "spec", "ports", 0, "targetPort"));
    }

    @ParameterizedTest(name = "{0} is refused at {1}")
    @CsvSource(delimiter = '|', value = {
            "replicaCount=two                      | '/replicaCount': got string, want integer",
            "drainPeriodSeconds=30                 | 'drainPeriodSeconds' not allowed",
            "jwt.secret=too-short-for-hs256        | '/jwt/secret'",
            "config.subscribeAuth=maybe            | '/config/subscribeAuth'",
            "externalRedis.uri=redis.example:6379  | '/externalRedis/uri'",
            "ingress.hosts[0].paths[0].path=stream | '/ingress/hosts/0/paths/0/path'",
    })
    void aValueOfTheWrongShapeOrAMisspeltKeyFailsSchemaValidation(String keyValue, String where) {
        String refusal = Chart.refusal(keyValue);
        assertTrue(refusal.contains("don't meet the specifications of the schema") && refusal.contains(where), refusal);
    }

    @ParameterizedTest
    @CsvSource({
            "redis://redis.data:6379",
            "rediss://user:secret@redis.data:6380/2",
            "'redis-sentinel://s1:26379,s2:26379,s3:26379?sentinelMasterId=mymaster'",
    })
    void everyRedisUriFormTheGatewayReadsPassesTheSchema(String uri) {
        Manifests manifests = Chart.withValuesYaml("externalRedis:\n  uri: \"" + uri + "\"\n");
        assertEquals("gateway", Manifests.str(manifests.gateway(), "name"));
    }
}
