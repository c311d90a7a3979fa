package io.ssegateway.testing;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.ssegateway.core.Event;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.PublishGrant;
import io.ssegateway.core.Publisher;

import java.util.HashMap;
import java.util.Map;

/**
 * One gateway instance on a random port, as a test starts it. Several of them on one Redis
 * are several instances of a cluster.
 */
public final class Gateway implements AutoCloseable {
    private final EmbeddedServer server;

    private Gateway(Map<String, Object> properties) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("sse.control.port", 0);
        props.put("sse.exit-after-halt", false);
        props.putAll(properties);
        server = ApplicationContext.run(EmbeddedServer.class, props, "test");
    }

    public static Gateway start(Map<String, Object> properties) {
        return new Gateway(properties);
    }

    public static Gateway start() {
        return new Gateway(Map.of());
    }

    public int port() {
        return server.getPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getPort() + path;
    }

    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    public <T> T bean(Class<T> type) {
        return context().getBean(type);
    }

    /** Publishes through the same path every ingress uses, without HTTP. */
    public Event publish(String namespace, String type, String data) {
        return bean(Publisher.class).publish(EventDraft.of(Namespace.parse(namespace), type, data), PublishGrant.ANYWHERE, "test").join();
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
    }
}
