package io.ssegateway.demo;

import io.ssegateway.egress.Connections;
import jakarta.inject.Singleton;

import java.util.function.IntConsumer;

/**
 * The number of open SSE streams that {@code /api/client-count} reports, and its changes.
 */
@Singleton
public class ClientCount {
    private final Connections connections;

    public ClientCount(Connections connections) {
        this.connections = connections;
    }

    public int current() {
        return connections.count();
    }

    public void listen(IntConsumer listener) {
        connections.onCountChange(listener);
    }

    public void unlisten(IntConsumer listener) {
        connections.removeCountListener(listener);
    }
}
