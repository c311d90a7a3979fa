package io.ssegateway.security;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.ssegateway.core.Namespace;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * With neither {@code JWT_SECRET} nor {@code JWT_JWKS_URL} set, the gateway still starts, so
 * that it can be tried at once: {@link SigningSecret} makes a random key, and this logs one
 * admin token signed with it, with a warning that says how to leave development mode.
 *
 * <p>That token is the only one the gateway ever logs. It dies with the process, and each
 * instance has its own, so a cluster must not run in this mode.
 */
@Singleton
final class DevelopmentMode implements ApplicationEventListener<StartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(DevelopmentMode.class);

    static final String SUBJECT = "dev-admin";
    static final Duration LIFETIME = Duration.ofHours(24);

    private final SigningSecret secret;
    private final TokenIssuer issuer;

    DevelopmentMode(SigningSecret secret, TokenIssuer issuer) {
        this.secret = secret;
        this.issuer = issuer;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        if (!secret.generated()) {
            return;
        }
        String token = issuer.issue(SUBJECT, List.of(Principal.ROLE_ADMIN, Principal.ROLE_PUBLISHER), null,
                List.of(Namespace.ROOT), LIFETIME);
        LOG.warn("auth=development Neither JWT_SECRET nor JWT_JWKS_URL is set: tokens are signed with a random key "
                + "made at startup, valid only on this instance until it stops. Do not run this in production: "
                + "set JWT_SECRET to at least 32 random bytes (e.g. JWT_SECRET=$(openssl rand -base64 48)) "
                + "or JWT_JWKS_URL to your identity provider's keys.");
        LOG.warn("auth=development sub={} roles=admin,publisher expires_in={}s token={}",
                SUBJECT, LIFETIME.toSeconds(), token);
    }
}
