package io.ssegateway.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.core.annotation.Nullable;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.Reason;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Signs HS256 tokens with this instance's {@link SigningSecret}, for {@code /login} and the
 * development token. What it issues, {@link TokenVerifier} accepts: the same claims, plus
 * {@code iss} and {@code aud} when those checks are configured.
 *
 * <p>With only a JWK set configured there is no secret, {@link #canIssue()} is false and
 * {@link #issue} refuses with {@link Reason#DISABLED}: tokens then come from the identity
 * provider.
 */
@Singleton
public final class TokenIssuer {
    private final SecurityConfig config;
    @Nullable
    private final MACSigner signer;
    private final Clock clock;

    @Inject
    public TokenIssuer(SecurityConfig config, SigningSecret secret) {
        this(config, secret, Clock.systemUTC());
    }

    TokenIssuer(SecurityConfig config, SigningSecret secret, Clock clock) {
        this.config = config;
        this.clock = clock;
        byte[] key = secret.bytes();
        try {
            this.signer = key == null ? null : new MACSigner(key);
        } catch (JOSEException e) {
            // SecurityConfig already refused keys shorter than 256 bits, the only cause of this.
            throw new IllegalStateException("HS256 key rejected", e);
        }
    }

    public boolean canIssue() {
        return signer != null;
    }

    /** The lifetime of a {@code /login} token ({@code jwt.token-lifetime}). */
    public Duration defaultLifetime() {
        return config.tokenLifetime();
    }

    /**
     * Signs a token with these claims, valid from now for {@code lifetime}.
     *
     * @param subject the {@code sub}
     * @param roles the {@code roles}
     * @param publish the {@code publish} namespaces; null leaves the claim out (unrestricted)
     * @param subscribe the {@code subscribe} namespaces
     * @throws GatewayException with {@link Reason#DISABLED} when there is no secret to sign with
     */
    public String issue(String subject, Collection<String> roles, @Nullable List<Namespace> publish,
                        List<Namespace> subscribe, Duration lifetime) {
        if (signer == null) {
            throw new GatewayException(Reason.DISABLED,
                    "this gateway has no JWT_SECRET and cannot issue tokens; get one from the identity provider");
        }
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .claim(TokenClaims.ROLES, List.copyOf(roles))
                .claim(TokenClaims.SUBSCRIBE, paths(subscribe));
        if (publish != null) {
            claims.claim(TokenClaims.PUBLISH, paths(publish));
        }
        if (config.issuer() != null) {
            claims.issuer(config.issuer());
        }
        if (config.audience() != null) {
            claims.audience(config.audience());
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("HS256 signing failed", e);
        }
        return jwt.serialize();
    }

    private static List<String> paths(List<Namespace> namespaces) {
        return namespaces.stream().map(Namespace::path).toList();
    }
}
