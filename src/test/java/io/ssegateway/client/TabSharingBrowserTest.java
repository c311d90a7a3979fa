package io.ssegateway.client;

import io.ssegateway.testing.JsonTree;
import com.sun.net.httpserver.HttpServer;
import io.ssegateway.testing.Await;
import io.ssegateway.testing.Chromium;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared browser client in a real (headless) Chromium: ten tabs of one application share
 * one connection to the gateway, more than the six an HTTP/1.1 server gets per browser; when the
 * tab holding it closes, another takes over at once and no tab misses or repeats an event.
 * The application is on its own origin, as in production, and imports the client from the
 * gateway's. Needs Chromium, so it runs only with {@code -Pbrowser}.
 */
@Tag("browser")
class TabSharingBrowserTest {
    private static final int TABS = 10;
    private static final Duration LIVE = Duration.ofSeconds(20);
    /** How soon a tab must lead after the leader's tab closed. */
    private static final Duration TAKEOVER = Duration.ofSeconds(1);
    private static HttpServer app;
    private static Gateway gateway;

    @BeforeAll
    static void start() throws IOException {
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String origin = "http://127.0.0.1:" + app.getAddress().getPort();
        gateway = Gateway.start(Map.of("jwt.secret", TestTokens.SECRET, "sse.allowed-origins", origin));
        byte[] page = page(gateway.url("")).getBytes(StandardCharsets.UTF_8);
        app.createContext("/tab.html", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        app.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        app.stop(0);
    }

    private static String page(String gatewayUrl) {
        return """
                <!doctype html><meta charset="utf-8"><title>tab</title>
                <script type="module">
                import { SharedEventSource } from '%1$s/sse-gateway.js';
                window.received = [];
                window.gaps = 0;
                const events = new SharedEventSource('%1$s/subscribe/tabs');
                events.addEventListener('tick', (e) => received.push(e.data));
                events.addEventListener('history-gap', () => gaps++);
                window.events = events;
                </script>
                """.formatted(gatewayUrl);
    }

    @Test
    @Timeout(180)
    void tenTabsShareOneConnectionAndAClosedLeaderIsReplacedWithoutLossOrRepeat() throws Exception {
        String url = "http://127.0.0.1:" + app.getAddress().getPort() + "/tab.html";
        try (Chromium browser = Chromium.start()) {
            List<Chromium.Tab> tabs = new ArrayList<>();
            for (int i = 0; i < TABS; i++) {
                tabs.add(browser.openTab(url));
            }
            for (Chromium.Tab tab : tabs) {
                tab.awaitTrue(LIVE, "window.events !== undefined && events.readyState === 1");
            }
            Await.until(LIVE, "one stream open on the gateway", () -> streamsOf("/tabs") == 1);

            publish(1, 20);
            for (Chromium.Tab tab : tabs) {
                assertReceivedExactly(tab, 20);
            }

            Chromium.Tab leader = tabs.stream().filter(t -> Boolean.TRUE.equals(t.evaluate("events.isLeader")))
                    .findFirst().orElseThrow(() -> new AssertionError("no tab leads"));
            tabs.remove(leader);
            Thread publisher = new Thread(() -> publish(21, 60), "tab-test-publisher");
            publisher.start();
            long closedAt = System.nanoTime();
            browser.closeTab(leader);
            Await.until(LIVE, "another tab leads", () -> tabs.stream().anyMatch(t -> Boolean.TRUE.equals(t.evaluate("events.isLeader"))));
            Duration takeover = Duration.ofNanos(System.nanoTime() - closedAt);
            publisher.join(LIVE.toMillis());

            assertTrue(takeover.compareTo(TAKEOVER) <= 0, "a new leader after " + takeover.toMillis() + " ms");
            for (Chromium.Tab tab : tabs) {
                assertReceivedExactly(tab, 60);
                assertEquals(0, ((Number) tab.evaluate("gaps")).intValue(), "no history gap at a change of leader");
            }
            Await.until(LIVE, "still one stream open on the gateway", () -> streamsOf("/tabs") == 1);
        }
    }

    /** Publishes ticks {@code from..to} in order, each data being its number. */
    private static void publish(int from, int to) {
        for (int n = from; n <= to; n++) {
            gateway.publish("/tabs", "tick", Integer.toString(n));
        }
    }

    private static void assertReceivedExactly(Chromium.Tab tab, int count) {
        tab.awaitTrue(LIVE, "received.length >= " + count);
        List<String> expected = IntStream.rangeClosed(1, count).mapToObj(Integer::toString).toList();
        assertEquals(expected, tab.evaluate("received"), "every tick once and in order");
    }

    /** Streams open on the gateway for the namespace, as /status lists them. */
    private static long streamsOf(String namespace) {
        JsonTree status = JsonTree.parse(Http.get(gateway.url("/status"), TestTokens.admin(gateway)).body());
        List<JsonTree> clients = new ArrayList<>();
        status.path("clients").forEach(clients::add);
        return clients.stream().filter(c -> c.path("namespaces").toString().contains("\"" + namespace + "\"")).count();
    }
}
