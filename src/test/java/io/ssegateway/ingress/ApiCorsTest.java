package io.ssegateway.ingress;

import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.RawHttp;
import io.ssegateway.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One CORS policy ({@code SSE_ALLOWED_ORIGINS}) for the HTTP API and the streams: origins listed
 * by name may read responses with credentials, {@code *} lets any origin read without them, and
 * any other origin gets no CORS headers and a 403 to its preflight.
 */
class ApiCorsTest {
    private static final String APP = "https://app.example";
    private static final String EVIL = "https://evil.example";

    private static Gateway named;
    private static Gateway wildcard;

    @BeforeAll
    static void start() {
        named = Gateway.start(Map.of("jwt.secret", TestTokens.SECRET, "sse.allowed-origins", APP + ",https://admin.example"));
        wildcard = Gateway.start(Map.of("jwt.secret", TestTokens.SECRET, "sse.allowed-origins", "*"));
    }

    @AfterAll
    static void stop() {
        named.close();
        wildcard.close();
    }

    private static RawHttp.Response preflight(Gateway g, String path, String origin, String method) {
        return RawHttp.exchange(g.port(), "OPTIONS", path, null, "Origin: " + origin, "Access-Control-Request-Method: " + method,
                "Access-Control-Request-Headers: authorization, content-type");
    }

    private static void assertAllowsWithCredentials(RawHttp.Response r, String origin) {
        assertEquals(origin, r.header("Access-Control-Allow-Origin"), String.valueOf(r.headers()));
        assertEquals("true", r.header("Access-Control-Allow-Credentials"));
        assertTrue(r.header("Vary").contains("Origin"), r.header("Vary"));
    }

    private static void assertNoCors(RawHttp.Response r) {
        assertNull(r.header("Access-Control-Allow-Origin"), String.valueOf(r.headers()));
        assertNull(r.header("Access-Control-Allow-Credentials"));
    }

    @Test
    void listedOriginReadsApiAnswersWithCredentialsIncludingRefusals() {
        assertAllowsWithCredentials(RawHttp.exchange(named.port(), "GET", "/health", null, "Origin: " + APP), APP);
        RawHttp.Response refused = RawHttp.exchange(named.port(), "POST", "/broadcast", "{\"data\":\"x\"}",
                "Origin: " + APP, "Content-Type: application/json");
        assertEquals(401, refused.status());
        assertAllowsWithCredentials(refused, APP);
        // A page can tell a publish answered from its Idempotency-Key, and read how long to wait.
        assertEquals("Idempotent-Replayed, Retry-After", refused.header("Access-Control-Expose-Headers"));
        assertAllowsWithCredentials(RawHttp.exchange(named.port(), "GET", "/no-such-page", null, "Origin: " + APP), APP);
    }

    @Test
    void unlistedOriginGetsNoCorsHeadersFromTheApiOrTheStreams() {
        assertNoCors(RawHttp.exchange(named.port(), "GET", "/health", null, "Origin: " + EVIL));
        assertNoCors(RawHttp.exchange(named.port(), "GET", "/status", null, "Origin: " + EVIL));
        assertNoCors(RawHttp.exchange(named.port(), "GET", "/subscribe/cors", null, "Origin: " + EVIL));
        assertNoCors(RawHttp.exchange(named.port(), "GET", "/health", null));
    }

    @Test
    void preflightForBroadcastFromAListedOriginIs204WithMethodsHeadersAndMaxAge() {
        RawHttp.Response r = preflight(named, "/broadcast", APP, "POST");
        assertEquals(204, r.status());
        assertAllowsWithCredentials(r, APP);
        assertTrue(r.header("Access-Control-Allow-Methods").contains("POST"), r.header("Access-Control-Allow-Methods"));
        assertTrue(r.header("Access-Control-Allow-Headers").contains("Authorization"));
        assertTrue(r.header("Access-Control-Allow-Headers").contains("Content-Type"));
        assertEquals("600", r.header("Access-Control-Max-Age"));
        assertEquals(204, preflight(named, "/login", APP, "POST").status());
        assertEquals(204, preflight(named, "/publish/pets", APP, "POST").status());
    }

    @Test
    void preflightForASubscriptionIsAnsweredByTheStreamRouterWithGetOnly() {
        RawHttp.Response r = preflight(named, "/subscribe/x", APP, "GET");
        assertEquals(204, r.status());
        assertAllowsWithCredentials(r, APP);
        assertEquals("GET, OPTIONS", r.header("Access-Control-Allow-Methods"));
        assertTrue(r.header("Access-Control-Allow-Headers").contains("Last-Event-ID"));
    }

    @Test
    void preflightFromAnUnlistedOriginIsForbidden() {
        for (String path : new String[] {"/broadcast", "/subscribe/x", "/status"}) {
            RawHttp.Response r = preflight(named, path, EVIL, "POST");
            assertEquals(403, r.status(), path);
            assertTrue(r.body().contains("\"error\":\"FORBIDDEN\""), r.body());
            assertNoCors(r);
        }
    }

    @Test
    void streamFromAListedOriginCarriesCorsHeaders() {
        RawHttp.Response r = RawHttp.exchange(named.port(), "GET", "/subscribe/cors", null, "Origin: " + APP);
        assertEquals(200, r.status());
        assertAllowsWithCredentials(r, APP);
    }

    @Test
    void wildcardLetsAnyOriginReadButNeverWithCredentials() {
        for (RawHttp.Response r : new RawHttp.Response[] {
                RawHttp.exchange(wildcard.port(), "GET", "/health", null, "Origin: " + EVIL),
                RawHttp.exchange(wildcard.port(), "GET", "/subscribe/any", null, "Origin: " + EVIL),
                preflight(wildcard, "/broadcast", EVIL, "POST"),
                preflight(wildcard, "/subscribe/any", EVIL, "GET")}) {
            assertTrue(r.status() == 200 || r.status() == 204, String.valueOf(r.status()));
            assertEquals("*", r.header("Access-Control-Allow-Origin"));
            assertNull(r.header("Access-Control-Allow-Credentials"));
        }
    }

    @Test
    void unlistedOriginCannotDriveRequestsIntoAGatewayOnLocalhost() {
        RawHttp.Response local = RawHttp.exchange(named.port(), "POST", "/broadcast", "{\"data\":\"x\"}",
                "Origin: " + EVIL, "Content-Type: application/json");
        assertEquals(403, local.status());
        assertTrue(local.body().contains("\"error\":\"FORBIDDEN\""), local.body());
        assertNoCors(local);
        RawHttp.Response fromLocalPage = RawHttp.exchange(named.port(), "POST", "/broadcast", "{\"data\":\"x\"}",
                "Origin: http://localhost:3000", "Content-Type: application/json");
        assertEquals(401, fromLocalPage.status());
        assertNoCors(fromLocalPage);
    }

    /** A name that merely starts like a loopback address is any site on the internet. */
    @Test
    void originNamedLikeALoopbackAddressIsNotLocal() {
        for (String origin : new String[] {"http://127.evil.com", "http://127.0.0.1.evil.com", "http://localhost.evil.com"}) {
            RawHttp.Response r = RawHttp.exchange(named.port(), "POST", "/broadcast", "{\"data\":\"x\"}",
                    "Origin: " + origin, "Content-Type: application/json");
            assertEquals(403, r.status(), origin);
        }
        for (String origin : new String[] {"http://127.0.0.1:3000", "http://127.1.2.3", "http://[::1]:8080"}) {
            RawHttp.Response r = RawHttp.exchange(named.port(), "POST", "/broadcast", "{\"data\":\"x\"}",
                    "Origin: " + origin, "Content-Type: application/json");
            assertEquals(401, r.status(), origin);
        }
    }

    @Test
    void unlistedOriginReachesAPublicGatewayButCannotReadTheAnswer() {
        RawHttp.Response r = RawHttp.exchange(named.port(), "GET", "/health", null, "Origin: " + EVIL, "Host: sse.example.com");
        assertEquals(200, r.status(), r.body());
        assertNoCors(r);
    }

    /**
     * Micronaut's filter, were it active, would refuse a listed origin on localhost; the first
     * test shows that it is replaced. Here: nor is it switched on to allow every origin.
     */
    @Test
    void micronautsOwnCorsIsNotSwitchedOn() {
        for (Gateway g : new Gateway[] {named, wildcard}) {
            assertFalse(g.context().getProperty("micronaut.server.cors.enabled", Boolean.class).orElse(false));
        }
    }
}
