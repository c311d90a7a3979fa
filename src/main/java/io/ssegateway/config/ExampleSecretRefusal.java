package io.ssegateway.config;

import io.micronaut.context.annotation.Context;
import io.ssegateway.security.SecurityConfig;

import java.util.Set;

/**
 * Refuses to start with a JWT secret that is published: the placeholder in {@code .env.example}.
 * Whoever copies that file without editing it would otherwise run a gateway where anyone who has
 * read this repository can sign an admin token. A refusal, not a warning: a warning scrolls by
 * under {@code docker compose up}, an instance that does not start is noticed.
 */
@Context
public final class ExampleSecretRefusal {
    /** Secrets this repository publishes as examples. */
    public static final Set<String> PUBLISHED = Set.of("replace-with-at-least-32-random-bytes-0000000000");

    ExampleSecretRefusal(SecurityConfig security) {
        if (security.secret() != null && PUBLISHED.contains(security.secret().trim())) {
            throw new IllegalStateException("JWT_SECRET is the public example from .env.example: anyone could sign an admin token."
                    + " Set it to a secret of your own, e.g. JWT_SECRET=$(openssl rand -base64 48)");
        }
    }
}
