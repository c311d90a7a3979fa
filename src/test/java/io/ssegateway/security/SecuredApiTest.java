package io.ssegateway.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.TestTokens;
import okhttp3.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP API on {@code @Secured}: the refusals keep the gateway's statuses and JSON reasons,
 * the token is read and verified exactly as the stream route reads and verifies it, and nothing
 * of the library's own (validators that accept unsigned tokens, Basic credentials, a cookie on a
 * publish route, its endpoints) lets a request in.
 */
class SecuredApiTest {
    /** Alg none, claiming every role: accepted by the library's validator when no signature is configured. */
    private static final String UNSIGNED_ADMIN = Jwts.raw("{\"alg\":\"none\"}",
            "{\"sub\":\"mallory\",\"roles\":[\"admin\",\"publisher\"]}", "");

    private static Gateway gateway;
    private static String admin;
    private static String publisher;

    @BeforeAll
    static void start() {
        gateway = Gateway.start(Map.of("jwt.secret", TestTokens.SECRET, "sse.http-query-publish", true));
        admin = TestTokens.admin(gateway);
        publisher = TestTokens.publisher(gateway);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static void assertRefused(int status, String reason, String message, Http.Reply reply) {
        assertEquals(status, reply.status(), reply.body());
        assertTrue(reply.headers().get("Content-Type").startsWith("application/json"), reply.headers().toString());
        assertEquals("{\"error\":\"" + reason + "\",\"message\":\"" + message + "\"}", reply.body());
    }

    @Test
    void aSecuredRouteWithoutATokenIsA401ThatSaysWhereATokenGoes() {
        Http.Reply reply = Http.get(gateway.url("/status"), null);
        assertRefused(401, "UNAUTHORIZED", AccessRefusal.TOKEN_REQUIRED, reply);
        assertEquals("Bearer", reply.headers().get("WWW-Authenticate"));
    }

    @Test
    void aRefusedTokenIsA401WithTheVerifiersReason() {
        String expired = Jwts.hs256(TestTokens.SECRET, new JWTClaimsSet.Builder().subject("admin")
                .claim("roles", List.of("admin")).expirationTime(Date.from(Instant.now().minusSeconds(3600))).build());
        assertRefused(401, "UNAUTHORIZED", "token has expired", Http.get(gateway.url("/status"), expired));
        assertRefused(401, "UNAUTHORIZED", "token is not signed (alg none)", Http.get(gateway.url("/status"), UNSIGNED_ADMIN));
    }

    @Test
    void aTokenWithoutTheRouteRoleIsA403NamingTheRoles() {
        assertRefused(403, "FORBIDDEN", "role admin required", Http.get(gateway.url("/status"), publisher));
        String reader = TestTokens.subscriber(gateway, "bob", "/");
        assertRefused(403, "FORBIDDEN", "role publisher or admin required",
                Http.get(gateway.url("/publish/q?greeting=hi"), reader));
    }

    @Test
    void theAccessTokenParameterAuthenticatesAnApiRequest() {
        assertEquals(200, Http.get(gateway.url("/status?access_token=" + admin), null).status());
    }

    @Test
    void onlyTheFirstTokenCountsSoABadBearerTokenIsNotRescuedByAGoodOne() {
        Http.Reply reply = Http.send(new Request.Builder().url(gateway.url("/status?access_token=" + admin))
                .header("Authorization", "Bearer " + UNSIGNED_ADMIN).header("Cookie", "sse_token=" + admin).build());
        assertRefused(401, "UNAUTHORIZED", "token is not signed (alg none)", reply);
    }

    @Test
    void theCookieOpensAnAdminViewButNeverPublishes() {
        Http.Reply status = Http.send(new Request.Builder().url(gateway.url("/status")).header("Cookie", "sse_token=" + admin).build());
        assertEquals(200, status.status(), status.body());
        // A foreign page's <img src=".../publish/x?a=b"> carries the cookie: it must not publish (CSRF).
        Http.Reply publish = Http.send(new Request.Builder().url(gateway.url("/publish/x?greeting=hi"))
                .header("Cookie", "sse_token=" + admin).build());
        assertRefused(401, "UNAUTHORIZED", AccessRefusal.TOKEN_REQUIRED, publish);
    }

    @Test
    void pathsNoRouteTakesAreStill404AndTheLibrarysEndpointsAreOff() {
        for (String path : List.of("/no-such-page", "/keys", "/logout", "/token_info", "/oauth/access_token")) {
            assertEquals(404, Http.get(gateway.url(path), admin).status(), path);
        }
    }

    @Test
    void publicRoutesStayOpenToAClientWithAStaleToken() {
        String stale = Jwts.hs256(TestTokens.SECRET, new JWTClaimsSet.Builder().subject("x")
                .expirationTime(Date.from(Instant.now().minusSeconds(3600))).build());
        assertEquals(200, Http.get(gateway.url("/sse-gateway.js"), stale).status());
        assertEquals(200, Http.get(gateway.url("/health"), stale).status());
    }

    @Test
    void adminPublicOpensTheAdminViewsAndNothingElse() {
        try (Gateway open = Gateway.start(Map.of("jwt.secret", TestTokens.SECRET, "sse.admin-public", true,
                "sse.http-query-publish", true))) {
            assertEquals(200, Http.get(open.url("/status"), null).status());
            assertEquals(200, Http.get(open.url("/status"), UNSIGNED_ADMIN).status());
            assertRefused(401, "UNAUTHORIZED", AccessRefusal.TOKEN_REQUIRED, Http.get(open.url("/publish/q?greeting=hi"), null));
        }
    }

    /** With neither a secret nor a JWK set the library has no signature to check and takes an unsigned token. */
    @Test
    void anUnsignedTokenIsRefusedInDevelopmentMode() {
        try (Gateway dev = Gateway.start(Map.of())) {
            assertRefused(401, "UNAUTHORIZED", "token is not signed (alg none)", Http.get(dev.url("/status"), UNSIGNED_ADMIN));
            assertEquals(200, Http.get(dev.url("/status"), TestTokens.admin(dev)).status());
        }
    }

    @Test
    void anUnsignedTokenIsRefusedWithAJwkSet() throws IOException, JOSEException {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        try (JwksServer provider = new JwksServer()) {
            provider.serve(key.toPublicJWK());
            try (Gateway idp = Gateway.start(Map.of("jwt.jwks-url", provider.url()))) {
                assertRefused(401, "UNAUTHORIZED", "token is not signed (alg none)", Http.get(idp.url("/status"), UNSIGNED_ADMIN));
                String signed = Jwts.sign(new RSASSASigner(key), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                        new JWTClaimsSet.Builder().subject("ops").claim("roles", List.of("admin"))
                                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
                assertEquals(200, Http.get(idp.url("/status"), signed).status());
            }
        }
    }
}
