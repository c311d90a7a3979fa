package io.ssegateway.status;

import io.ssegateway.testing.Chromium;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.SseRecorder;
import io.ssegateway.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin page in a real (headless) browser: it shows a connected client live and publishes
 * through its form. Needs Chromium, so it runs only with {@code -Pbrowser}.
 */
@Tag("browser")
class AdminPageBrowserTest {
    private static final Duration LIVE = Duration.ofSeconds(20);
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = Gateway.start(Map.of("jwt.secret", TestTokens.SECRET));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    @Timeout(120)
    void pageShowsAConnectedClientLiveAndItsFormPublishesToIt() throws Exception {
        String admin = TestTokens.admin(gateway);
        try (SseRecorder client = SseRecorder.open(gateway.url("/subscribe/admin-test"));
             Chromium browser = Chromium.start()) {
            client.awaitOpen();
            String remote = remoteOf("/admin-test", admin);

            browser.navigate(gateway.url("/admin?access_token=" + admin));
            browser.awaitTrue(LIVE, "document.getElementById('clients').textContent.includes(" + js(remote) + ")");
            // The status's cluster view (one instance here) is drawn from whatever fields it has.
            browser.awaitTrue(LIVE, "!document.getElementById('cluster').hidden"
                    + " && document.getElementById('cluster-tables').textContent.includes(" + js(instanceId(admin)) + ")");
            assertFalse(((String) browser.evaluate("location.href")).contains("access_token"),
                    "the token is taken out of the address bar");

            browser.evaluate("""
                    document.getElementById('publish-namespace').value = '/admin-test';
                    document.getElementById('publish-event').value = 'greeting';
                    document.getElementById('publish-data').value = 'hello from the admin page';
                    document.getElementById('publish-submit').click();
                    """);
            SseRecorder.Received event = client.next();
            assertEquals("greeting", event.type());
            assertEquals("hello from the admin page", event.data());
            browser.awaitTrue(LIVE, "document.getElementById('publish-result').textContent.startsWith('Published " + event.id() + "')");
            // The next polls show the delivery: the client's last event id, and the count.
            browser.awaitTrue(LIVE, "document.getElementById('clients').textContent.includes(" + js(event.id()) + ")");
            browser.awaitTrue(LIVE, "document.getElementById('delivered').textContent === '1'");
            assertEquals(Boolean.TRUE, browser.evaluate("document.getElementById('publish-token-label').offsetParent === null"),
                    "no token field: the page has the token it was opened with");

            Path shot = Path.of("target", "admin-page.png");
            browser.screenshot(shot);
            assertTrue(Files.size(shot) > 10_000, "a screenshot of the page");
        }
    }

    /** The ip:port under which /status lists the client subscribed to {@code namespace}. */
    private static String remoteOf(String namespace, String admin) {
        Http.Reply status = Http.get(gateway.url("/status"), admin);
        Matcher m = Pattern.compile("\"remote\":\"([^\"]+)\",[^}]*\"namespaces\":\\[\"" + Pattern.quote(namespace) + "\"]")
                .matcher(status.body());
        assertTrue(m.find(), status.body());
        return m.group(1);
    }

    private static String instanceId(String admin) {
        Matcher m = Pattern.compile("\"instance\":\"([^\"]+)\"").matcher(Http.get(gateway.url("/status"), admin).body());
        assertTrue(m.find());
        return m.group(1);
    }

    private static String js(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
