package io.ssegateway.egress;

import io.micronaut.context.ApplicationContext;
import io.ssegateway.core.Event;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.PublishGrant;
import io.ssegateway.core.Publisher;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's beans with no server, and {@link EmbeddedConnection}s to its stream pipeline:
 * streams opened, events published and every connection's tasks run, all on the test's thread.
 * Registered on a test class ({@code @RegisterExtension static final}), it closes the
 * connections a test opened after each test and the beans after the last.
 */
final class EmbeddedGateway implements AutoCloseable, AfterEachCallback, AfterAllCallback {
    /** What a subscription receives after its head: the opening {@code retry:} in one chunk. */
    static final String RETRY_CHUNK_END = "0000000d\r\nretry: 3000\n\n\r\n";

    private final ApplicationContext context;
    private final List<EmbeddedConnection> open = new ArrayList<>();

    EmbeddedGateway(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(Map.of("sse.control.port", 0, "sse.exit-after-halt", false));
        all.putAll(settings);
        context = ApplicationContext.run(all, "test");
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** Opens a stream on {@code path} and checks it started. */
    EmbeddedConnection subscribe(String path) {
        EmbeddedConnection c = new EmbeddedConnection(context.getBean(SseService.class));
        open.add(c);
        c.send("GET " + path + " HTTP/1.1\r\nHost: gw\r\n\r\n");
        assertTrue(c.received().endsWith(RETRY_CHUNK_END));
        return c;
    }

    /** Runs the tasks queued on every connection's event loop: fan-out, flushes and cuts. */
    void runAll() {
        open.forEach(EmbeddedConnection::runTasks);
    }

    Event publish(String namespace, String data) {
        return context.getBean(Publisher.class)
                .publish(EventDraft.of(Namespace.parse(namespace), "message", data), PublishGrant.ANYWHERE, "test").join();
    }

    /** Closes the connections opened so far; the beans stay. */
    void closeConnections() {
        open.forEach(EmbeddedConnection::close);
        open.clear();
    }

    @Override
    public void afterEach(ExtensionContext test) {
        closeConnections();
    }

    @Override
    public void afterAll(ExtensionContext testClass) {
        close();
    }

    @Override
    public void close() {
        closeConnections();
        context.close();
    }
}
