package io.ssegateway.status;

import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.TestTokens;
import okhttp3.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /admin}: who may open it, how a browser signs in, and what the answer allows. */
class AdminPageTest {
    private static Gateway gateway;
    private static String admin;

    @BeforeAll
    static void start() {
        gateway = Gateway.start(Map.of("jwt.secret", TestTokens.SECRET));
        admin = TestTokens.admin(gateway);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void withoutATokenTheAnswerIsASignInFormNotThePage() {
        Http.Reply reply = Http.get(gateway.url("/admin"), null);
        assertEquals(401, reply.status());
        // RFC 9110 §15.5.2, as on every 401 of the gateway: the form is the body, not the refusal.
        assertEquals("Bearer", reply.headers().get("WWW-Authenticate"), reply.headers().toString());
        assertTrue(reply.headers().get("Content-Type").startsWith("text/html"), reply.headers().toString());
        assertTrue(reply.body().contains("name=\"access_token\""), reply.body());
        assertFalse(reply.body().contains("admin.js"), "the page itself is not served");
    }

    @Test
    void aTokenWithoutTheAdminRoleIsRefused() {
        Http.Reply reply = Http.get(gateway.url("/admin?access_token=" + TestTokens.publisher(gateway)), null);
        assertEquals(403, reply.status());
        assertTrue(reply.body().contains("role admin required"), reply.body());
    }

    @Test
    void anAdminTokenInTheUrlOpensThePageAndSetsAStrictHttpOnlyCookie() {
        Http.Reply reply = Http.get(gateway.url("/admin?access_token=" + admin), null);
        assertEquals(200, reply.status());
        assertTrue(reply.body().contains("<title>sse-gateway admin</title>"), reply.body());
        String cookie = reply.headers().get("Set-Cookie");
        assertTrue(cookie.startsWith("sse_token=" + admin + ";"), cookie);
        String attributes = cookie.toLowerCase(java.util.Locale.ROOT);
        assertTrue(attributes.contains("; httponly") && attributes.contains("; samesite=strict") && attributes.contains("; path=/"), cookie);
        assertFalse(attributes.contains("; secure"), "plain HTTP: a Secure cookie would not come back");
        assertEquals("no-referrer", reply.headers().get("Referrer-Policy"));
        assertEquals("no-store", reply.headers().get("Cache-Control"));
        assertTrue(reply.headers().get("Content-Security-Policy").contains("script-src 'self'"));
    }

    @Test
    void behindATlsProxyTheCookieIsSecure() {
        Http.Reply reply = Http.send(new Request.Builder().url(gateway.url("/admin?access_token=" + admin))
                .header("X-Forwarded-Proto", "https").build());
        assertTrue(reply.headers().get("Set-Cookie").toLowerCase(java.util.Locale.ROOT).contains("; secure"),
                reply.headers().get("Set-Cookie"));
    }

    @Test
    void theCookieAloneOpensThePageOnReload() {
        Http.Reply reply = Http.send(new Request.Builder().url(gateway.url("/admin"))
                .header("Cookie", "sse_token=" + admin).build());
        assertEquals(200, reply.status());
        assertNull(reply.headers().get("Set-Cookie"));
    }

    @Test
    void scriptAndStylesHoldNoDataAndNeedNoToken() {
        Http.Reply script = Http.get(gateway.url("/admin/admin.js"), null);
        assertEquals(200, script.status());
        assertTrue(script.headers().get("Content-Type").startsWith("text/javascript"));
        assertTrue(script.body().contains("fetch('/status'"));
        Http.Reply styles = Http.get(gateway.url("/admin/admin.css"), null);
        assertEquals(200, styles.status());
        assertTrue(styles.headers().get("Content-Type").startsWith("text/css"));
    }

    @Test
    void aPublicAdminPageNeedsNoTokenAndSetsNoCookie() {
        try (Gateway open = Gateway.start(Map.of("jwt.secret", TestTokens.SECRET, "sse.admin-public", true))) {
            Http.Reply reply = Http.get(open.url("/admin?access_token=whatever"), null);
            assertEquals(200, reply.status());
            assertNull(reply.headers().get("Set-Cookie"));
        }
    }
}
