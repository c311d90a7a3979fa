package io.ssegateway.status;

import io.micronaut.context.annotation.Context;
import io.ssegateway.core.ClusterView;
import io.ssegateway.egress.Connections;

/**
 * Tells the {@link ClusterView} this instance's number of open SSE streams whenever it changes, so that cluster-wide totals ({@code /status}, {@code /api/client-count}) follow.
 * Eager, so that the counting starts with the first stream.
 */
@Context
public class ClusterReporter {

    public ClusterReporter(Connections connections, ClusterView cluster) {
        connections.onCountChange(cluster::report);
    }
}
