package io.ssegateway.demo;

import io.ssegateway.core.ClusterView;
import io.ssegateway.egress.Connections;
import jakarta.inject.Singleton;

import java.util.function.IntConsumer;

/**
 * The number of open SSE streams that {@code /api/client-count} reports, and its changes:
 * over every live instance in redis mode (this instance's own count is always current; the
 * others' as last reported), just this one with the local broker.
 */
@Singleton
public class ClientCount {
    private final Connections connections;
    private final ClusterView cluster;

    public ClientCount(Connections connections, ClusterView cluster) {
        this.connections = connections;
        this.cluster = cluster;
    }

    public int current() {
        int others = 0;
        for (var instance : cluster.instances()) {
            if (!instance.id().equals(cluster.instanceId())) {
                others += instance.streams();
            }
        }
        return connections.count() + others;
    }

    /** Hears about changes here and on other instances; the listener reads {@link #current()}. */
    public Runnable listen(IntConsumer listener) {
        connections.onCountChange(listener);
        Runnable remote = () -> listener.accept(-1);
        cluster.onChange(remote);
        return () -> {
            connections.removeCountListener(listener);
            cluster.removeListener(remote);
        };
    }
}
