package io.ssegateway.security;

import io.micronaut.context.env.Environment;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Objects;

/**
 * Reads Micronaut Security's own names for what {@code jwt.*} sets, so that a deployment
 * configured the Micronaut way works: the signing secret
 * ({@value #SECRET}) when {@code JWT_SECRET} is unset, and the lifetime of issued tokens in
 * seconds ({@value #EXPIRATION}) when {@code JWT_TOKEN_LIFETIME} is not set. The
 * documented {@code JWT_*} variables win.
 *
 * <p>A placeholder cannot fall back to another one in {@code application.properties}
 * ({@code ${JWT_SECRET:${micronaut...:}}} came out as the one-byte secret "}"), hence a bean.
 */
@Singleton
final class MicronautSecurityKeys implements BeanCreatedEventListener<SecurityConfig> {
    static final String SECRET = "micronaut.security.token.jwt.signatures.secret.generator.secret";
    static final String EXPIRATION = "micronaut.security.token.generator.access-token.expiration";
    /** The documented setting of the lifetime; its default is on {@link SecurityConfig} only. */
    static final String TOKEN_LIFETIME = "jwt.token-lifetime";

    private final Environment environment;

    MicronautSecurityKeys(Environment environment) {
        this.environment = environment;
    }

    @Override
    public SecurityConfig onCreated(BeanCreatedEvent<SecurityConfig> event) {
        SecurityConfig config = event.getBean();
        String secret = config.secret() != null ? config.secret() : environment.getProperty(SECRET, String.class).orElse(null);
        Duration lifetime = config.tokenLifetime();
        if (!environment.containsProperty(TOKEN_LIFETIME)) {
            lifetime = environment.getProperty(EXPIRATION, Long.class).map(Duration::ofSeconds).orElse(lifetime);
        }
        boolean same = Objects.equals(secret, config.secret()) && lifetime.equals(config.tokenLifetime());
        return same ? config : config.withIssuing(secret, lifetime);
    }
}
