package io.ssegateway.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import io.micronaut.context.ApplicationContext;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.ssegateway.security.Jwts.NOW;
import static io.ssegateway.security.Jwts.SECRET;
import static io.ssegateway.security.Jwts.claims;
import static io.ssegateway.security.Jwts.hs256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hardening of HS256 verification: every test names a property a token must have to pass. */
class TokenVerifierTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final List<TokenVerifier> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(TokenVerifier::close);
    }

    private TokenVerifier verifier(SecurityConfig config) {
        TokenVerifier v = new TokenVerifier(config, new SigningSecret(config), CLOCK);
        opened.add(v);
        return v;
    }

    private TokenVerifier verifier() {
        return verifier(SecurityConfigs.withSecret(SECRET));
    }

    private GatewayException rejects(TokenVerifier verifier, String token) {
        GatewayException e = assertThrows(GatewayException.class, () -> verifier.verify(token));
        assertEquals(Reason.UNAUTHORIZED, e.reason());
        if (token != null && token.length() > 8) {
            assertFalse(e.getMessage().contains(token), "the message must not echo the token");
        }
        return e;
    }

    @Test
    void goodHs256TokenIsAcceptedAndExposesItsClaims() {
        String token = hs256(claims()
                .claim("roles", List.of("publisher", "reader"))
                .claim("publish", List.of("/pets", "/toys/balls"))
                .claim("subscribe", List.of("/"))
                .build());

        Principal p = verifier().verify(token);

        assertEquals("alice", p.subject());
        assertEquals(Set.of("publisher", "reader"), p.roles());
        assertEquals(List.of(Namespace.parse("/pets"), Namespace.parse("/toys/balls")), p.publish());
        assertEquals(List.of(Namespace.ROOT), p.subscribe());
        assertEquals(NOW.plusSeconds(3600), p.expiresAt());
        assertTrue(p.canPublish());
    }

    @Test
    void absentClaimsMeanNoRolesUnrestrictedPublishAndNoSubscriptions() {
        Principal p = verifier().verify(hs256(claims().build()));

        assertEquals(Set.of(), p.roles());
        assertNull(p.publish());
        assertEquals(List.of(), p.subscribe());
        assertFalse(p.canPublish());
    }

    @Test
    void rolesMayBeASpaceOrCommaSeparatedString() {
        Principal p = verifier().verify(hs256(claims().claim("roles", "publisher, admin reader").build()));

        assertEquals(Set.of("publisher", "admin", "reader"), p.roles());
    }

    @Test
    void tokenWithAlgNoneIsRejected() {
        String token = Jwts.raw("{\"alg\":\"none\"}", "{\"sub\":\"mallory\",\"roles\":[\"admin\"]}", "");

        assertTrue(rejects(verifier(), token).getMessage().contains("not signed"));
    }

    @Test
    void tokenWithAlgNoneInAnyCaseOrWithASignatureIsRejected() {
        String claimsJson = "{\"sub\":\"mallory\",\"roles\":[\"admin\"]}";
        rejects(verifier(), Jwts.raw("{\"alg\":\"None\",\"typ\":\"JWT\"}", claimsJson, ""));
        rejects(verifier(), Jwts.raw("{\"alg\":\"NONE\"}", claimsJson, "c2ln"));
        rejects(verifier(), Jwts.raw("{\"alg\":\"none\"}", claimsJson, "c2ln"));
    }

    @Test
    void hs512TokenIsRejectedWhenHs256IsExpected() {
        String token = Jwts.sign(Jwts.mac(SECRET.getBytes(StandardCharsets.UTF_8)), new JWSHeader(JWSAlgorithm.HS512),
                claims().build());

        assertTrue(rejects(verifier(), token).getMessage().contains("HS512 is not accepted"));
    }

    @Test
    void rs256TokenIsRejectedWhenASecretIsConfigured() throws JOSEException {
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        String token = Jwts.sign(new RSASSASigner(rsa), new JWSHeader(JWSAlgorithm.RS256), claims().build());

        assertTrue(rejects(verifier(), token).getMessage().contains("RS256 is not accepted"));
    }

    @Test
    void tokenSignedWithAnotherSecretIsRejected() {
        String token = hs256("another-secret-that-is-long-enough-0123456789", claims().build());

        assertEquals("token signature is invalid", rejects(verifier(), token).getMessage());
    }

    @Test
    void tokenWhosePayloadWasChangedIsRejected() {
        String good = hs256(claims().claim("roles", List.of("reader")).build());
        String[] parts = good.split("\\.");
        String forged = Jwts.raw("{\"alg\":\"HS256\"}", "{\"sub\":\"alice\",\"roles\":[\"admin\"]}", parts[2]);

        assertEquals("token signature is invalid", rejects(verifier(), forged).getMessage());
    }

    @Test
    void expiredTokenIsRejected() {
        String token = hs256(claims().expirationTime(Date.from(NOW.minusSeconds(31))).build());

        assertEquals("token has expired", rejects(verifier(), token).getMessage());
    }

    @Test
    void tokenExpiredWithinTheClockSkewIsStillAccepted() {
        String token = hs256(claims().expirationTime(Date.from(NOW.minusSeconds(29))).build());

        assertEquals("alice", verifier().verify(token).subject());
    }

    @Test
    void tokenNotYetValidIsRejected() {
        String token = hs256(claims().notBeforeTime(Date.from(NOW.plusSeconds(31))).build());

        assertTrue(rejects(verifier(), token).getMessage().contains("not valid yet"));
    }

    @Test
    void tokenValidWithinTheClockSkewIsAccepted() {
        String token = hs256(claims().notBeforeTime(Date.from(NOW.plusSeconds(29))).build());

        assertEquals("alice", verifier().verify(token).subject());
    }

    @Test
    void clockSkewIsConfigurable() {
        SecurityConfig strict = SecurityConfigs.of(SECRET, null, Duration.ZERO, null, null, false);
        String token = hs256(claims().expirationTime(Date.from(NOW.minusSeconds(1))).build());

        rejects(verifier(strict), token);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "garbage", "a.b.c", "a.b", "....", "eyJhbGciOiJIUzI1NiJ9.!!!.abc",
            "eyJhbGciOiJIUzI1NiJ9.e30", "Bearer x.y.z"})
    void garbageIsRejected(String token) {
        rejects(verifier(), token);
    }

    @Test
    void missingTokenIsRejected() {
        assertEquals("token is missing", rejects(verifier(), null).getMessage());
    }

    @Test
    void oversizedTokenIsRejectedBeforeParsing() {
        String token = hs256(claims().claim("pad", "x".repeat(TokenVerifier.MAX_TOKEN_LENGTH)).build());

        assertTrue(rejects(verifier(), token).getMessage().contains("longer than"));
    }

    @Test
    void encryptedTokenIsRejected() throws JOSEException {
        EncryptedJWT jwe = new EncryptedJWT(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM), claims().build());
        jwe.encrypt(new DirectEncrypter(SECRET.substring(0, 32).getBytes(StandardCharsets.UTF_8)));

        assertTrue(rejects(verifier(), jwe.serialize()).getMessage().contains("not a signed JWT"));
    }

    @Test
    void tokenOfAnotherTypeIsRejected() {
        String token = Jwts.sign(Jwts.mac(SECRET.getBytes(StandardCharsets.UTF_8)),
                new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("secevent+jwt")).build(), claims().build());

        rejects(verifier(), token);
    }

    @ParameterizedTest
    @ValueSource(strings = {"JWT", "jwt", "at+jwt"})
    void jwtAndAccessTokenTypesAreAccepted(String type) {
        String token = Jwts.sign(Jwts.mac(SECRET.getBytes(StandardCharsets.UTF_8)),
                new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType(type)).build(), claims().build());

        assertEquals("alice", verifier().verify(token).subject());
    }

    @Test
    void invalidNamespaceInAClaimRejectsTheToken() {
        rejects(verifier(), hs256(claims().claim("publish", List.of("/pets", "/pets/../admin")).build()));
        rejects(verifier(), hs256(claims().claim("subscribe", List.of("pets")).build()));
        rejects(verifier(), hs256(claims().claim("subscribe", List.of("/a//b")).build()));
    }

    @Test
    void claimsOfTheWrongShapeRejectTheToken() {
        rejects(verifier(), hs256(claims().claim("publish", "/pets").build()));
        rejects(verifier(), hs256(claims().claim("subscribe", List.of(1, 2)).build()));
        rejects(verifier(), hs256(claims().claim("roles", List.of(true)).build()));
        rejects(verifier(), hs256(claims().claim("roles", 7).build()));
    }

    @Test
    void tokenWithoutExpiryIsAcceptedUnlessExpiryIsRequired() {
        String token = hs256(new JWTClaimsSet.Builder().subject("publisher-bot").build());
        SecurityConfig strict = SecurityConfigs.of(SECRET, null, Duration.ofSeconds(30), null, null, true);

        assertNull(verifier().verify(token).expiresAt());
        assertTrue(rejects(verifier(strict), token).getMessage().contains("no expiry"));
    }

    @Test
    void issuerAndAudienceAreEnforcedWhenConfigured() {
        SecurityConfig config = SecurityConfigs.of(SECRET, null, Duration.ofSeconds(30), "https://idp.example", "sse", false);
        TokenVerifier v = verifier(config);

        assertEquals("alice", v.verify(hs256(claims().issuer("https://idp.example").audience(List.of("x", "sse")).build()))
                .subject());
        rejects(v, hs256(claims().issuer("https://evil.example").audience("sse").build()));
        rejects(v, hs256(claims().audience("sse").build()));
        rejects(v, hs256(claims().issuer("https://idp.example").audience("other").build()));
        rejects(v, hs256(claims().issuer("https://idp.example").build()));
    }

    /** The issuer is Micronaut's JwtTokenGenerator, on the system clock: so is this verifier. */
    @Test
    void tokensFromTheIssuerAreAccepted() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("jwt.secret", SECRET,
                "jwt.issuer", "https://sse.example", "jwt.audience", "sse"))) {
            Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            String token = context.getBean(TokenIssuer.class).issue("bob", List.of("publisher"),
                    List.of(Namespace.parse("/pets")), List.of(Namespace.ROOT), Duration.ofMinutes(5));

            Principal p = context.getBean(TokenVerifier.class).verify(token);

            assertEquals("bob", p.subject());
            assertEquals(Set.of("publisher"), p.roles());
            assertEquals(List.of(Namespace.parse("/pets")), p.publish());
            assertEquals(List.of(Namespace.ROOT), p.subscribe());
            assertFalse(p.expiresAt().isBefore(before.plusSeconds(300)), p.expiresAt().toString());
            assertFalse(p.expiresAt().isAfter(Instant.now().plusSeconds(300)), p.expiresAt().toString());
        }
    }

    @Test
    void tokensAreNeverLogged() {
        Logger logger = (Logger) LoggerFactory.getLogger("io.ssegateway");
        Level before = logger.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.TRACE);
        List<String> tokens = List.of(
                hs256(claims().build()),
                hs256("another-secret-that-is-long-enough-0123456789", claims().build()),
                hs256(claims().expirationTime(Date.from(NOW.minusSeconds(3600))).build()),
                Jwts.raw("{\"alg\":\"none\"}", "{\"sub\":\"mallory\"}", ""));
        try {
            TokenVerifier v = verifier();
            for (String t : tokens) {
                try {
                    v.verify(t);
                } catch (GatewayException expected) {
                    // refusals are what this test provokes
                }
            }
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(before);
        }
        for (ILoggingEvent event : appender.list) {
            for (String t : tokens) {
                assertFalse(event.getFormattedMessage().contains(t.substring(0, t.lastIndexOf('.'))), event.getFormattedMessage());
            }
        }
    }
}
