package io.ssegateway.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.RawHttp;
import io.ssegateway.testing.SseRecorder;
import okhttp3.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may do what, end to end over HTTP, with tokens made the way a client or an attacker
 * would make them: subscriptions with {@code SSE_SUBSCRIBE_AUTH=jwt}, publishing, and
 * {@code /status}. A token that is expired, unsigned, signed with another key, tampered with or
 * of an algorithm the gateway does not accept counts as no token at all.
 */
class AccessControlTest {
    private static Gateway gateway;
    private static Gateway adminPublic;

    @BeforeAll
    static void start() {
        gateway = Gateway.start(Map.of("jwt.secret", Jwts.SECRET, "sse.subscribe-auth", "jwt", "jwt.clock-skew", "0s"));
        adminPublic = Gateway.start(Map.of("jwt.secret", Jwts.SECRET, "sse.admin-public", true));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        adminPublic.close();
    }

    private static JWTClaimsSet.Builder claims(String subject) {
        return new JWTClaimsSet.Builder().subject(subject).expirationTime(Date.from(Instant.now().plusSeconds(600)));
    }

    private static String subscriber(String subject, String... subscribe) {
        return Jwts.hs256(claims(subject).claim("subscribe", List.of(subscribe)).build());
    }

    private static String withRoles(String... roles) {
        return Jwts.hs256(claims("someone").claim("roles", List.of(roles)).build());
    }

    /** Tokens that must be refused, each carrying claims that would otherwise allow everything. */
    private static Map<String, String> badTokens() {
        JWTClaimsSet all = claims("mallory").claim("roles", List.of("admin", "publisher")).claim("subscribe", List.of("/")).build();
        String good = Jwts.hs256(all);
        String[] parts = good.split("\\.");
        String otherClaims = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"sub\":\"mallory\",\"roles\":[\"admin\",\"publisher\"],\"subscribe\":[\"/\"],\"extra\":1}".getBytes(StandardCharsets.UTF_8));
        return Map.of(
                "expired", Jwts.hs256(new JWTClaimsSet.Builder(all).expirationTime(Date.from(Instant.now().minusSeconds(3600))).build()),
                "alg none", Jwts.raw("{\"alg\":\"none\",\"typ\":\"JWT\"}", all.toString(), ""),
                "alg none with a signature", Jwts.raw("{\"alg\":\"none\"}", all.toString(), parts[2]),
                "signed with another key", Jwts.hs256("another-secret-of-enough-length-0123456789abcdef", all),
                "claims swapped under a valid signature", parts[0] + "." + otherClaims + "." + parts[2],
                "HS512, not an accepted algorithm", Jwts.sign(Jwts.mac(Jwts.SECRET.getBytes(StandardCharsets.UTF_8)),
                        new JWSHeader(JWSAlgorithm.HS512), all),
                "not a JWT", "garbage");
    }

    private static int subscribe(String pathAndQuery, String... headers) {
        return RawHttp.exchange(gateway.port(), "GET", pathAndQuery, null, headers).status();
    }

    // --- Subscribing with SSE_SUBSCRIBE_AUTH=jwt -------------------------------------------

    @Test
    void subscribeWithoutATokenIsUnauthorized() {
        RawHttp.Response r = RawHttp.exchange(gateway.port(), "GET", "/subscribe/pets", null);
        assertEquals(401, r.status());
        assertEquals("Bearer", r.header("WWW-Authenticate"));
        assertTrue(r.body().contains("\"error\":\"UNAUTHORIZED\""), r.body());
    }

    @Test
    void subscribeWithAnExpiredUnsignedForgedOrTamperedTokenIsUnauthorizedWhereverItIsCarried() {
        badTokens().forEach((what, token) -> {
            assertEquals(401, subscribe("/subscribe/pets", "Authorization: Bearer " + token), what);
            assertEquals(401, subscribe("/subscribe/pets?access_token=" + token), what);
            assertEquals(401, subscribe("/subscribe/pets", "Cookie: sse_token=" + token), what);
        });
    }

    @Test
    void tokenFromTheHeaderTheQueryOrTheCookieOpensTheStream() {
        String token = subscriber("sam", "/pets");
        assertEquals(200, subscribe("/subscribe/pets/cats", "Authorization: Bearer " + token));
        assertEquals(200, subscribe("/subscribe/pets?access_token=" + token));
        assertEquals(200, subscribe("/subscribe/pets", "Cookie: theme=dark; sse_token=" + token));
        assertEquals(200, subscribe("/subscribe/pets/cats?topic=/pets/dogs", "Authorization: Bearer " + token));
    }

    @Test
    void namespaceOutsideTheSubscribeClaimIsForbiddenWhetherInThePathOrATopic() {
        String token = subscriber("sam", "/pets");
        for (String target : List.of("/subscribe/petshop", "/subscribe", "/subscribe/news", "/subscribe/pets?topic=/news",
                "/subscribe/pets?topic=petshop", "/subscribe/pets/cats?topic=/")) {
            RawHttp.Response r = RawHttp.exchange(gateway.port(), "GET", target, null, "Authorization: Bearer " + token);
            assertEquals(403, r.status(), target);
            assertTrue(r.body().contains("\"error\":\"FORBIDDEN\""), r.body());
        }
        assertEquals(403, subscribe("/subscribe/pets", "Authorization: Bearer " + subscriber("sam")), "an empty claim covers nothing");
    }

    @Test
    void userEventReachesOnlyTheTokenWithThatSubjectAmongCoveredSubscribers() {
        String publisher = withRoles("publisher");
        try (SseRecorder ann = SseRecorder.open(gateway.url("/subscribe/mail?access_token=" + subscriber("ann", "/mail")));
             SseRecorder bob = SseRecorder.open(gateway.url("/subscribe/mail?access_token=" + subscriber("bob", "/mail")))) {
            assertEquals(200, ann.awaitOpen().code());
            assertEquals(200, bob.awaitOpen().code());
            assertEquals(201, Http.postJson(gateway.url("/broadcast"), publisher, "{\"namespace\":\"/mail\",\"user\":\"ann\",\"data\":\"for ann\"}").status());
            assertEquals(201, Http.postJson(gateway.url("/broadcast"), publisher, "{\"namespace\":\"/mail\",\"data\":\"for all\"}").status());
            assertEquals(List.of("for ann", "for all"), ann.nextData(2));
            assertEquals(List.of("for all"), bob.nextData(1));
        }
    }

    @Test
    void streamEndsWhenItsTokenExpires() {
        String shortLived = Jwts.hs256(new JWTClaimsSet.Builder().subject("sam").claim("subscribe", List.of("/brief"))
                .expirationTime(Date.from(Instant.now().plusSeconds(2))).build());
        try (SseRecorder s = SseRecorder.open(gateway.url("/subscribe/brief?access_token=" + shortLived))) {
            assertEquals(200, s.awaitOpen().code());
            s.awaitEnd();
        }
        assertEquals(401, subscribe("/subscribe/brief?access_token=" + shortLived));
    }

    // --- Publishing ----------------------------------------------------------------------

    @Test
    void publishWithAlgNoneTokenIsRejected() {
        String none = badTokens().get("alg none");
        assertEquals(401, Http.postJson(gateway.url("/broadcast"), none, "{\"data\":\"x\"}").status());
        assertEquals(401, Http.postText(gateway.url("/publish/x"), none, "x").status());
    }

    @Test
    void publishWithAnyBadTokenIsUnauthorizedAndPublishesNothing() {
        try (SseRecorder watcher = SseRecorder.open(gateway.url("/subscribe/guarded?access_token=" + subscriber("w", "/guarded")))) {
            assertEquals(200, watcher.awaitOpen().code());
            badTokens().forEach((what, token) -> {
                assertEquals(401, Http.postJson(gateway.url("/broadcast"), token, "{\"namespace\":\"/guarded\",\"data\":\"forged\"}").status(), what);
                assertEquals(401, Http.postText(gateway.url("/publish/guarded?access_token=" + token), null, "forged").status(), what);
            });
            assertEquals(201, Http.postText(gateway.url("/publish/guarded"), withRoles("publisher"), "genuine").status());
            assertEquals("genuine", watcher.next().data());
        }
    }

    @Test
    void publishIgnoresTheCookieSoAForeignPageCannotPublishWithIt() {
        Http.Reply reply = Http.send(new Request.Builder().url(gateway.url("/broadcast"))
                .header("Cookie", "sse_token=" + withRoles("admin", "publisher"))
                .post(okhttp3.RequestBody.create("{\"data\":\"x\"}", Http.JSON)).build());
        assertEquals(401, reply.status());
    }

    // --- /status -------------------------------------------------------------------------

    @Test
    void statusNeedsTheAdminRole() {
        assertEquals(401, Http.get(gateway.url("/status"), null).status());
        assertEquals(401, Http.get(gateway.url("/status"), badTokens().get("alg none")).status());
        assertEquals(403, Http.get(gateway.url("/status"), withRoles("publisher")).status());
        assertEquals(403, Http.get(gateway.url("/status"), subscriber("sam", "/")).status());
        String admin = withRoles("admin");
        Http.Reply ok = Http.get(gateway.url("/status"), admin);
        assertEquals(200, ok.status());
        assertTrue(ok.body().contains("\"instance\""), ok.body());
        assertEquals(200, Http.get(gateway.url("/status?access_token=" + admin), null).status());
        assertEquals(200, RawHttp.exchange(gateway.port(), "GET", "/status", null, "Cookie: sse_token=" + admin).status());
    }

    @Test
    void statusIsOpenWithoutATokenWhenAdminIsPublic() {
        assertEquals(200, Http.get(adminPublic.url("/status"), null).status());
    }
}
