package io.ssegateway.deploy;

import io.ssegateway.testing.Await;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.SseRecorder;
import io.ssegateway.testing.TestTokens;
import io.ssegateway.testing.TransientRefusals;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped deploy/nginx/nginx.conf in the nginx installed here (Debian 12's nginx-light is
 * 1.22, which refused the file while it used {@code resolve}), with only the upstream addresses,
 * the listen address and the file paths changed for loopback: it loads, passes a stream and a
 * transient refusal through as the gateway wrote them, and its access log has no access_token.
 */
class NginxConfTest {
    private static final Path SHIPPED = Path.of("deploy", "nginx", "nginx.conf");
    private static final Path NGINX = find("nginx");

    @Test
    @Timeout(120)
    void theShippedConfigRunsAndProxiesStreamsAndRefusalsWithoutLoggingTokens() throws Exception {
        Assumptions.assumeTrue(NGINX != null, "nginx is not installed (apt-get install nginx-light); not run");
        try (Gateway gateway = Gateway.start(Map.of("jwt.secret", TestTokens.SECRET, "sse.max-connections", 1))) {
            withShippedNginx(gateway.port(), (dir, port) -> {
                String token = TestTokens.subscriber(gateway, "reader", "/");
                try (SseRecorder stream = SseRecorder.open("http://127.0.0.1:" + port + "/subscribe/nginx?access_token=" + token)) {
                    assertEquals(200, stream.awaitOpen().code());
                    gateway.publish("/nginx", "message", "through nginx");
                    assertEquals("through nginx", stream.next().data());

                    // The gateway is at its limit of one stream: the refusal reaches the client intact.
                    TransientRefusals.assertRefusedForNowThroughProxy(port, "/subscribe/nginx?access_token=" + token, "too-many-connections");
                }
                String access = Await.value(Await.TIMEOUT, "the access log lines",
                        () -> read(dir.resolve("access.log")).contains("/subscribe/nginx ") ? read(dir.resolve("access.log")) : null);
                assertFalse(access.contains("access_token"), access);
                assertFalse(access.contains(token), access);
            });
        }
    }

    @Test
    @Timeout(120)
    void withNoInstanceReachableAStreamIsToldToComeBackAndAPublishStillSeesTheFailure() throws Exception {
        Assumptions.assumeTrue(NGINX != null, "nginx is not installed (apt-get install nginx-light); not run");
        int nobody = freePort(); // nothing listens there: every instance is down
        withShippedNginx(nobody, (dir, port) -> {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> stream = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/subscribe/x"))
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofString());
            // What an EventSource survives: 200 text/event-stream, no event, a retry: in 0.5-3 s.
            assertEquals(200, stream.statusCode(), stream::body);
            assertEquals("text/event-stream", stream.headers().firstValue("content-type").orElse(""));
            assertEquals("no-cache", stream.headers().firstValue("cache-control").orElse(""));
            Matcher body = Pattern.compile(": no-gateway\nretry: ([0-9]+)\n\n").matcher(stream.body());
            assertTrue(body.matches(), stream.body());
            long retry = Long.parseLong(body.group(1));
            assertTrue(retry >= 500 && retry <= 3000, "retry " + retry);

            HttpResponse<String> publish = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/broadcast"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"namespaces\":[\"/x\"],\"data\":\"d\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(502, publish.statusCode(), publish::body);
        });
    }

    /** What a test does while the shipped config runs: {@code dir} holds its files, {@code port} is its listener. */
    private interface WhileRunning {
        void run(Path dir, int port) throws Exception;
    }

    /** The shipped config, pointed at {@code upstreamPort}, checked with {@code nginx -t}, run for {@code body}. */
    private static void withShippedNginx(int upstreamPort, WhileRunning body) throws Exception {
        Path dir = Files.createTempDirectory("nginx-conf-test");
        try {
            int port = freePort();
            Path conf = dir.resolve("nginx.conf");
            Files.writeString(conf, forLoopback(Files.readString(SHIPPED), upstreamPort, port, dir));
            Process check = nginx(dir, conf, "-t");
            assertTrue(check.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, check.exitValue(), () -> "nginx -t:\n" + read(dir.resolve("nginx-t.log")));

            Process nginx = nginx(dir, conf);
            try {
                Await.until(() -> answers(port));
                body.run(dir, port);
            } finally {
                nginx.destroy();
                nginx.waitFor(30, TimeUnit.SECONDS);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** Upstreams at the test's gateway, a loopback listener, and every file under {@code dir}. */
    static String forLoopback(String conf, int gatewayPort, int port, Path dir) {
        String out = conf
                .replaceAll("server gateway-[0-9]+:8080", "server 127.0.0.1:" + gatewayPort)
                .replace("listen 8080;", "listen 127.0.0.1:" + port + ";")
                .replace("access_log /dev/stdout sse;", "access_log " + dir.resolve("access.log") + " sse;")
                .replace("error_log /dev/stderr warn;", "error_log " + dir.resolve("error.log") + " warn;");
        String temp = "http {\n" + List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi").stream()
                .map(t -> "    " + t + "_temp_path " + dir.resolve(t) + ";\n").reduce("", String::concat);
        assertTrue(out.contains("server 127.0.0.1:" + gatewayPort) && out.contains("http {\n"), out);
        return out.replaceFirst("http \\{\n", temp.replace("\\", "\\\\"));
    }

    private static Process nginx(Path dir, Path conf, String... extra) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(NGINX.toString(), "-p", dir.toString(), "-c", conf.toString(),
                "-e", dir.resolve("error.log").toString(),
                "-g", "daemon off; pid " + dir.resolve("nginx.pid") + ";"));
        command.addAll(List.of(extra));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(extra.length > 0 ? "nginx-t.log" : "nginx.log").toFile()).start();
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The executable on PATH or in /usr/sbin (where Debian puts nginx), or null. */
    private static Path find(String command) {
        String path = System.getenv().getOrDefault("PATH", "") + java.io.File.pathSeparator + "/usr/sbin";
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
