package io.ssegateway.security;

import io.micronaut.core.annotation.Nullable;
import io.ssegateway.core.Audience;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.PublishGrant;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Who a verified token speaks for, and what it may do. Only {@link TokenVerifier} makes one from
 * a token, after checking its signature and times, so every value here is trusted.
 *
 * <p>A namespace listed in {@code publish} or {@code subscribe} covers itself and its
 * descendants by whole segments: {@code /pets} covers {@code /pets/cats}, not {@code /petshop}.
 *
 * @param subject the {@code sub} claim; null when the token has none
 * @param roles the {@code roles} claim; empty when absent
 * @param publish the {@code publish} claim; null when the token has no such claim, which leaves
 *     publishing unrestricted (a role is still needed), while an empty list allows nothing
 * @param subscribe the {@code subscribe} claim; empty when absent
 * @param expiresAt the {@code exp} claim; null for a token without expiry
 */
public record Principal(
        @Nullable String subject,
        Set<String> roles,
        @Nullable List<Namespace> publish,
        List<Namespace> subscribe,
        @Nullable Instant expiresAt) {

    public static final String ROLE_PUBLISHER = "publisher";
    public static final String ROLE_ADMIN = "admin";

    public Principal {
        roles = roles == null ? Set.of() : Set.copyOf(roles);
        publish = publish == null ? null : List.copyOf(publish);
        subscribe = subscribe == null ? List.of() : List.copyOf(subscribe);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public boolean isAdmin() {
        return hasRole(ROLE_ADMIN);
    }

    /** True for role {@code publisher} or {@code admin}; namespaces are checked by {@link #publishGrant()}. */
    public boolean canPublish() {
        return hasRole(ROLE_PUBLISHER) || isAdmin();
    }

    /**
     * The namespaces this token may publish to: anywhere without a {@code publish} claim,
     * otherwise those its entries cover. It does not check the role: see {@link #canPublish()}.
     */
    public PublishGrant publishGrant() {
        return publish == null ? PublishGrant.ANYWHERE : PublishGrant.under(publish);
    }

    /** True when the {@code subscribe} claim covers {@code namespace}. */
    public boolean canSubscribe(Namespace namespace) {
        return audience().grants(namespace);
    }

    /** The subject and subscribe grants, which decide who sees private and per-user events. */
    public Audience audience() {
        return new Audience(subject, subscribe);
    }
}
