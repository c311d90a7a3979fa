package io.ssegateway.deploy;

import io.ssegateway.config.ExampleSecretRefusal;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.ssegateway.deploy.Manifests.at;
import static io.ssegateway.deploy.Manifests.list;
import static io.ssegateway.deploy.Manifests.map;
import static io.ssegateway.deploy.Manifests.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker-compose.yml and its nginx configuration: two or more gateways on one Redis behind a load
 * balancer that passes events through unbuffered. (deploy/check-compose.sh validates the file with
 * docker-compose itself.)
 */
class ComposeFileTest {

    private static final String REDIS_URI = "redis://redis:6379";

    private final Map<String, Object> services = services();
    private final List<String> gateways = services.entrySet().stream()
            .filter(s -> REDIS_URI.equals(at(s.getValue(), "environment", "REDIS_URI")))
            .map(Map.Entry::getKey)
            .sorted()
            .toList();

    @Test
    void twoOrMoreGatewaysAreBuiltFromTheRepositoryAndShareOneRedis() {
        assertTrue(gateways.size() >= 2, () -> "gateways: " + gateways);
        for (String gateway : gateways) {
            assertEquals(".", str(services.get(gateway), "build"), gateway);
            assertEquals("service_healthy", str(services.get(gateway), "depends_on", "redis", "condition"), gateway);
        }
    }

    @Test
    void redisKeepsNothingOnDisk() {
        List<Object> command = list(services.get("redis"), "command");
        assertEquals("redis:7-alpine", str(services.get("redis"), "image"));
        assertEquals("", command.get(command.indexOf("--save") + 1));
        assertEquals("no", command.get(command.indexOf("--appendonly") + 1));
    }

    @Test
    void onlyTheLoadBalancerPublishesAPortAnd8080IsIt() {
        List<String> publishing = services.entrySet().stream()
                .filter(s -> at(s.getValue(), "ports") != null).map(Map.Entry::getKey).toList();
        assertEquals(List.of("lb"), publishing);
        assertEquals(List.of("8080:8080"), at(services.get("lb"), "ports"));
    }

    @Test
    void everyGatewayGetsTheSameRequiredJwtSecretAndTheExampleOneIsRefused() throws IOException {
        for (String gateway : gateways) {
            // Required (":?"): a fresh clone without .env stops with a line that names the step,
            // instead of "Couldn't find env file" or instances with secrets of their own.
            assertTrue(str(services.get(gateway), "environment", "JWT_SECRET").startsWith("${JWT_SECRET:?JWT_SECRET is not set"), gateway);
            assertNull(at(services.get(gateway), "env_file"), gateway);
        }
        Properties example = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(".env.example"))) {
            example.load(reader);
        }
        assertTrue(ExampleSecretRefusal.PUBLISHED.contains(example.getProperty("JWT_SECRET")), "the gateway refuses the example secret");
    }

    @Test
    void stoppingAGatewayWaitsLongerThanItsDrain() {
        for (String gateway : gateways) {
            int drain = seconds(str(services.get(gateway), "environment", "SSE_DRAIN_PERIOD"));
            int grace = seconds(str(services.get(gateway), "stop_grace_period"));
            assertTrue(grace > drain, gateway + ": stop_grace_period " + grace + "s, drain " + drain + "s");
        }
    }

    @Test
    void everyGatewayIsHealthCheckedOnItsReadinessEndpoint() {
        for (String gateway : gateways) {
            assertTrue(list(services.get(gateway), "healthcheck", "test").contains("http://127.0.0.1:8080/health/readiness"), gateway);
        }
    }

    @Test
    void nginxBalancesOverEveryGateway() throws IOException {
        String upstream = block(nginxConf(), "upstream gateways");
        for (String gateway : gateways) {
            assertTrue(upstream.contains("server " + gateway + ":8080"), gateway + " missing from the upstream");
        }
        assertTrue(upstream.contains("least_conn;"), upstream);
        assertTrue(upstream.matches("(?s).*\\bkeepalive \\d+;.*"), upstream);
    }

    @Test
    void nginxPassesEventsThroughUnbufferedOverHttp11WithLongTimeouts() throws IOException {
        String location = block(nginxConf(), "location /");
        for (String directive : List.of(
                "proxy_pass http://gateways;",
                "proxy_buffering off;",
                "proxy_cache off;",
                "proxy_read_timeout 1h;",
                "proxy_send_timeout 1h;",
                "proxy_http_version 1.1;",
                "proxy_set_header Connection \"\";")) {
            assertTrue(location.contains(directive), () -> "missing: " + directive);
        }
    }

    private static Map<String, Object> services() {
        try (Reader reader = Files.newBufferedReader(Path.of("docker-compose.yml"))) {
            Map<String, Object> compose = new Yaml().load(reader);
            return map(compose, "services");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** nginx.conf without comments and with runs of white space made single spaces. */
    private static String nginxConf() throws IOException {
        return Files.readString(Path.of("deploy", "nginx", "nginx.conf"))
                .replaceAll("#[^\\n]*", "")
                .replaceAll("\\s+", " ");
    }

    /** The body of the block that opens with {@code header {}, up to its matching brace. */
    private static String block(String conf, String header) {
        int open = conf.indexOf(header + " {");
        assertTrue(open >= 0, () -> "no block " + header);
        int depth = 0;
        for (int i = conf.indexOf('{', open); i < conf.length(); i++) {
            char c = conf.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return conf.substring(open, i + 1);
            }
        }
        throw new AssertionError("unclosed block " + header);
    }

    private static int seconds(String duration) {
        assertTrue(duration.matches("[0-9]+s"), duration);
        return Integer.parseInt(duration.substring(0, duration.length() - 1));
    }
}
