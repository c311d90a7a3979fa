package io.ssegateway.core;

import java.time.Instant;
import java.util.List;

/**
 * Who is listening on a connection, as far as event visibility goes: the token's subject and
 * the namespaces its {@code subscribe} claim covers, until the token stops being accepted.
 * Anonymous subscribers have none of these.
 *
 * @param expiresAt when the token that granted this stops being accepted, or null when it does
 *     not expire; a stream must not go on showing private or per-user events past it
 */
public record Audience(String subject, List<Namespace> grants, Instant expiresAt) {
    public static final Audience ANONYMOUS = new Audience(null, List.of());

    public Audience {
        grants = grants == null ? List.of() : List.copyOf(grants);
    }

    public Audience(String subject, List<Namespace> grants) {
        this(subject, grants, null);
    }

    /** The same audience, valid until {@code instant} (null: for ever). */
    public Audience until(Instant instant) {
        return new Audience(subject, grants, instant);
    }

    /** True when the {@code subscribe} claim covers {@code namespace} by whole segments. */
    public boolean grants(Namespace namespace) {
        for (Namespace g : grants) {
            if (g.covers(namespace)) {
                return true;
            }
        }
        return false;
    }
}
