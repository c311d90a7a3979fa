package io.ssegateway.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/** Builds tokens for tests, good and bad, the way a client or an attacker would. */
final class Jwts {
    /** 64 bytes: long enough to sign HS512 too, so an HS512 token can carry a valid signature. */
    static final String SECRET = "test-secret-0123456789abcdef-0123456789abcdef-0123456789abcdef-01";
    static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");

    private Jwts() {
    }

    static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().subject("alice").expirationTime(Date.from(NOW.plusSeconds(3600)));
    }

    static String hs256(String secret, JWTClaimsSet claims) {
        return sign(mac(secret.getBytes(StandardCharsets.UTF_8)), new JWSHeader(JWSAlgorithm.HS256), claims);
    }

    static String hs256(JWTClaimsSet claims) {
        return hs256(SECRET, claims);
    }

    static MACSigner mac(byte[] key) {
        try {
            return new MACSigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sign(JWSSigner signer, JWSHeader header, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** A token put together by hand: base64url header, base64url claims, and the given signature part. */
    static String raw(String headerJson, String claimsJson, String signature) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8)) + "." + signature;
    }
}
