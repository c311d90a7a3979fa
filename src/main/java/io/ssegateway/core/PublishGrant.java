package io.ssegateway.core;

import java.util.List;

/**
 * What a publisher may publish to. Trusted local inputs (control port, FIFO) publish anywhere;
 * an HTTP caller is limited by its token's {@code publish} claim when it has one.
 */
public interface PublishGrant {
    PublishGrant ANYWHERE = namespace -> true;

    boolean allows(Namespace namespace);

    /** Allows the namespaces under any of {@code prefixes}, by whole segments. */
    static PublishGrant under(List<Namespace> prefixes) {
        List<Namespace> copy = List.copyOf(prefixes);
        return namespace -> {
            for (Namespace p : copy) {
                if (p.covers(namespace)) {
                    return true;
                }
            }
            return false;
        };
    }
}
