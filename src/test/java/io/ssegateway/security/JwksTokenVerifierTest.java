package io.ssegateway.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.ssegateway.security.Jwts.NOW;
import static io.ssegateway.security.Jwts.SECRET;
import static io.ssegateway.security.Jwts.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tokens signed by an identity provider whose keys are fetched from its JWK set URL. */
class JwksTokenVerifierTest {
    private static RSAKey rsa;
    private static RSAKey rotated;
    private static RSAKey stranger;
    private static ECKey ec;

    private JwksServer provider;
    private TokenVerifier verifier;

    @BeforeAll
    static void keys() throws JOSEException {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        rotated = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
        stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    }

    @BeforeEach
    void start() throws Exception {
        provider = new JwksServer();
        provider.serve(rsa.toPublicJWK(), ec.toPublicJWK());
    }

    @AfterEach
    void stop() {
        if (verifier != null) {
            verifier.close();
        }
        provider.close();
    }

    private TokenVerifier verifier(SecurityConfig config) throws Exception {
        verifier = new TokenVerifier(config, new SigningSecret(config), Clock.fixed(NOW, ZoneOffset.UTC));
        verifier.keysLoaded().get(10, TimeUnit.SECONDS);
        return verifier;
    }

    private TokenVerifier verifier() throws Exception {
        return verifier(SecurityConfigs.withJwksUrl(provider.url()));
    }

    private static String rs256(RSAKey key) throws JOSEException {
        return Jwts.sign(new RSASSASigner(key), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                claims().claim("roles", List.of("publisher")).build());
    }

    private static GatewayException rejects(TokenVerifier v, String token) {
        GatewayException e = assertThrows(GatewayException.class, () -> v.verify(token));
        assertEquals(Reason.UNAUTHORIZED, e.reason());
        return e;
    }

    @Test
    void rs256TokenSignedByTheProvidersKeyIsAccepted() throws Exception {
        Principal p = verifier().verify(rs256(rsa));

        assertEquals("alice", p.subject());
        assertEquals(Set.of("publisher"), p.roles());
    }

    @Test
    void es256TokenSignedByTheProvidersKeyIsAccepted() throws Exception {
        String token = Jwts.sign(new ECDSASigner(ec), new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(),
                claims().build());

        assertEquals("alice", verifier().verify(token).subject());
    }

    @Test
    void tokenWithoutKeyIdIsCheckedAgainstTheProvidersKeys() throws Exception {
        String token = Jwts.sign(new RSASSASigner(rsa), new JWSHeader(JWSAlgorithm.RS256), claims().build());

        assertEquals("alice", verifier().verify(token).subject());
    }

    @Test
    void hs256SignedWithThePublicKeyBytesIsRejected() throws Exception {
        String token = Jwts.sign(Jwts.mac(rsa.toRSAPublicKey().getEncoded()), new JWSHeader(JWSAlgorithm.HS256),
                claims().claim("roles", List.of("admin")).build());

        assertTrue(rejects(verifier(), token).getMessage().contains("HS256 is not accepted"));
    }

    @Test
    void hs256SignedWithThePublicJwkIsRejected() throws Exception {
        byte[] jwkBytes = rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        String token = Jwts.sign(Jwts.mac(jwkBytes), new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(),
                claims().build());

        rejects(verifier(), token);
    }

    @Test
    void tokenSignedByAnotherKeyWithTheSameKeyIdIsRejected() throws Exception {
        assertEquals("token signature is invalid", rejects(verifier(), rs256(stranger)).getMessage());
    }

    @Test
    void keysAreFetchedOnceInTheBackgroundAndThenServedFromTheCache() throws Exception {
        TokenVerifier v = verifier();
        String token = rs256(rsa);

        for (int i = 0; i < 20; i++) {
            v.verify(token);
        }

        assertEquals(1, provider.fetches());
    }

    @Test
    void unknownKeyIdTriggersOneRefreshSoRotatedKeysWork() throws Exception {
        TokenVerifier v = verifier();
        provider.serve(rsa.toPublicJWK(), rotated.toPublicJWK());

        assertEquals("alice", v.verify(rs256(rotated)).subject());
        assertEquals("alice", v.verify(rs256(rotated)).subject());
        assertEquals(2, provider.fetches());
    }

    @Test
    void tokensWithUnknownKeysCannotMakeUsHammerTheProvider() throws Exception {
        TokenVerifier v = verifier();
        RSAKey unknown = new RSAKeyGenerator(2048).keyID("nobody").generate();
        String token = rs256(unknown);

        for (int i = 0; i < 10; i++) {
            assertEquals("no signing key matches the token's key id", rejects(v, token).getMessage());
        }

        assertTrue(provider.fetches() <= 2, "fetches: " + provider.fetches());
    }

    @Test
    void withSecretAndJwksEachAlgorithmIsCheckedOnlyAgainstItsOwnKind() throws Exception {
        SecurityConfig both = SecurityConfigs.of(SECRET, provider.url());
        TokenVerifier v = verifier(both);

        assertEquals("alice", v.verify(rs256(rsa)).subject());
        assertEquals("alice", v.verify(Jwts.hs256(claims().build())).subject());
        String confused = Jwts.sign(Jwts.mac(rsa.toRSAPublicKey().getEncoded()), new JWSHeader(JWSAlgorithm.HS256),
                claims().build());
        assertEquals("token signature is invalid", rejects(v, confused).getMessage());
    }

    @Test
    void unreachableProviderRejectsTokensWithoutHanging() throws Exception {
        String url = provider.url();
        provider.close();
        TokenVerifier v = verifier(SecurityConfigs.withJwksUrl(url));

        rejects(v, rs256(rsa));
    }
}
