package io.ssegateway.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.token.jwt.signature.SignatureGeneratorConfiguration;
import io.micronaut.security.token.jwt.signature.secret.SecretSignature;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The signature {@code JwtTokenGenerator} signs with: HS256 with this instance's
 * {@link SigningSecret}, the configured secret or development mode's random one, with
 * {@code typ: JWT} as {@link TokenVerifier} expects.
 *
 * <p>It takes the place of the library's secret signature, and there is always one: without a
 * signature the generator would hand out an unsigned (alg none) token. With only a JWK set
 * there is no key, and {@link #sign} refuses; {@link TokenIssuer} says so before it asks.
 */
@Singleton
@Named("generator")
@Replaces(SecretSignature.class)
final class SigningSecretSignature implements SignatureGeneratorConfiguration {
    @Nullable
    private final byte[] key;

    SigningSecretSignature(SigningSecret secret) {
        this.key = secret.bytes();
    }

    @Override
    public SignedJWT sign(JWTClaimsSet claims) throws JOSEException {
        if (key == null) {
            throw new JOSEException("no signing secret: this gateway only verifies tokens from its JWK set");
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new MACSigner(key));
        return jwt;
    }

    @Override
    public String supportedAlgorithmsMessage() {
        return "Only the HS256 algorithm is supported for the gateway's own tokens";
    }

    @Override
    public boolean supports(JWSAlgorithm algorithm) {
        return JWSAlgorithm.HS256.equals(algorithm);
    }

    @Override
    public boolean verify(SignedJWT jwt) throws JOSEException {
        return key != null && supports(jwt.getHeader().getAlgorithm()) && jwt.verify(new MACVerifier(key));
    }
}
