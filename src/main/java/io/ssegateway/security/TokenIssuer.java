package io.ssegateway.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.jwt.generator.JwtTokenGenerator;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.Reason;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Issues the gateway's own tokens, for {@code /login} and the development token, through
 * Micronaut's {@link JwtTokenGenerator}, signed by {@link SigningSecretSignature}. What it
 * issues, {@link TokenVerifier} accepts: {@code sub}, {@code roles}, the {@code publish} and
 * {@code subscribe} claims, a {@code jti}, and {@code iss}/{@code aud} when those checks are
 * configured ({@code jwt.issuer}, {@code jwt.audience}).
 *
 * <p>With only a JWK set configured there is no secret, {@link #canIssue()} is false and
 * {@link #issue} refuses with {@link Reason#DISABLED}: tokens then come from the identity
 * provider.
 */
@Singleton
public final class TokenIssuer {
    private static final String JWT_ID = "jti";
    private static final String ISSUER = "iss";
    private static final String AUDIENCE = "aud";
    /** Why no token can be had here, as {@code /login} and {@link #issue} say it. */
    static final String CANNOT_ISSUE =
            "this gateway has no JWT_SECRET and cannot issue tokens; get one from the identity provider";

    private final SecurityConfig config;
    private final boolean canIssue;
    private final JwtTokenGenerator generator;

    public TokenIssuer(SecurityConfig config, SigningSecret secret, JwtTokenGenerator generator) {
        this.config = config;
        this.canIssue = secret.present();
        this.generator = generator;
    }

    public boolean canIssue() {
        return canIssue;
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
        return issue(Authentication.build(subject, roles, TokenClaims.grants(publish, subscribe)), lifetime);
    }

    /**
     * Signs a token for {@code who}: its name as {@code sub}, its roles, and its attributes as
     * claims (as {@link UserStoreAuthenticationProvider} fills them), valid for {@code lifetime}.
     */
    public String issue(Authentication who, Duration lifetime) {
        if (!canIssue) {
            throw new GatewayException(Reason.DISABLED, CANNOT_ISSUE);
        }
        Map<String, Object> claims = new HashMap<>(who.getAttributes());
        claims.put(JWT_ID, UUID.randomUUID().toString());
        // The generator puts the application name in iss; a configured issuer check needs its own.
        if (config.issuer() != null) {
            claims.put(ISSUER, config.issuer());
        }
        if (config.audience() != null) {
            claims.put(AUDIENCE, config.audience());
        }
        return generator.generateToken(Authentication.build(who.getName(), who.getRoles(), claims),
                        Math.toIntExact(lifetime.toSeconds()))
                .orElseThrow(() -> new IllegalStateException("HS256 signing failed"));
    }
}
