package io.ssegateway.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A broker that forwards to another; tests override one method to provoke a situation. */
class ForwardingBroker implements Broker {
    final Broker delegate;

    ForwardingBroker(Broker delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletableFuture<Event> publish(EventDraft draft) {
        return delegate.publish(draft);
    }

    @Override
    public CompletableFuture<KeyedResult> publish(EventDraft draft, KeyedStep step) {
        return delegate.publish(draft, step);
    }

    @Override
    public CompletableFuture<Replay> replay(List<Namespace> topics, EventId after, int limit) {
        return delegate.replay(topics, after, limit);
    }

    @Override
    public CompletableFuture<Replay> replaySince(List<Namespace> topics, long sinceMillis, int limit) {
        return delegate.replaySince(topics, sinceMillis, limit);
    }

    @Override
    public CompletableFuture<EventId> head() {
        return delegate.head();
    }

    @Override
    public void listen(BrokerListener listener) {
        delegate.listen(listener);
    }

    @Override
    public boolean isHealthy() {
        return delegate.isHealthy();
    }

    @Override
    public String kind() {
        return delegate.kind();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
