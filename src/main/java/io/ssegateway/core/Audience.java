package io.ssegateway.core;

import java.util.List;

/**
 * Who is listening on a connection, as far as event visibility goes: the token's subject and
 * the namespaces its {@code subscribe} claim covers. Anonymous subscribers have neither.
 */
public record Audience(String subject, List<Namespace> grants) {
    public static final Audience ANONYMOUS = new Audience(null, List.of());

    public Audience {
        grants = grants == null ? List.of() : List.copyOf(grants);
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
