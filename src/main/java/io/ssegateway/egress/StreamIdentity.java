package io.ssegateway.egress;

import io.ssegateway.core.Namespace;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Who a stream is, as {@code /status} lists it: the client, the endpoint and route it opened,
 * when, what it listens to and the last event it got. How bytes reach the client is
 * {@link StreamWriter}'s business; status reads this without touching the write path.
 *
 * <p>Made on the stream's event loop; what a route describes later is read from any thread.
 */
public final class StreamIdentity {
    private final String route;
    private final StreamKind kind;
    private final String remote;
    private final String endpoint;
    private final Instant connectedAt = Instant.now();
    private volatile List<Namespace> namespaces = List.of();
    private volatile Supplier<String> lastEventId = () -> null;

    StreamIdentity(String route, StreamKind kind, String remote, String endpoint) {
        this.route = route;
        this.kind = kind;
        this.remote = remote;
        this.endpoint = endpoint;
    }

    /** The client's {@code ip:port}, the key of its entry in {@code /status}. */
    public String remote() {
        return remote;
    }

    /** The request path, such as {@code /subscribe/pets}. */
    public String endpoint() {
        return endpoint;
    }

    /** The name of the route that serves this stream, such as {@code subscribe}. */
    public String route() {
        return route;
    }

    /** The kind of stream, as its route declared it. */
    public StreamKind kind() {
        return kind;
    }

    public Instant connectedAt() {
        return connectedAt;
    }

    public List<Namespace> namespaces() {
        return namespaces;
    }

    /** Set by the route for status pages: what this stream listens to. */
    void describe(List<Namespace> namespaces, Supplier<String> lastEventId) {
        this.namespaces = List.copyOf(namespaces);
        this.lastEventId = lastEventId;
    }

    /** The id of the last event the client got, or the one it resumed from; null before either. */
    public String lastEventId() {
        return lastEventId.get();
    }
}
