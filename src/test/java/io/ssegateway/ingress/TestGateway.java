package io.ssegateway.ingress;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.ssegateway.core.Hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/** The whole application on a random HTTP port, with the settings a test adds. */
final class TestGateway implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);

    private final EmbeddedServer server;

    private TestGateway(EmbeddedServer server) {
        this.server = server;
    }

    /**
     * Starts with the control port off unless {@code settings} turns it on, and with a drain
     * that stops the application but never exits the test JVM.
     */
    static TestGateway start(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>();
        all.put("micronaut.server.port", -1);
        all.put("sse.control.port", 0);
        all.put("sse.exit-after-halt", false);
        all.put("sse.drain-period", "0s");
        all.putAll(settings);
        return new TestGateway(ApplicationContext.run(EmbeddedServer.class, all));
    }

    /** A port nothing listens on right now. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls {@code condition} until it holds, failing after {@link #WAIT}. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + WAIT + ": " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    ApplicationContext context() {
        return server.getApplicationContext();
    }

    <T> T bean(Class<T> type) {
        return context().getBean(type);
    }

    String url(String path) {
        return server.getURL() + path;
    }

    /** Subscribes over real SSE and returns once the hub has the subscription. */
    SseRecorder subscribe(String path) {
        Hub hub = bean(Hub.class);
        int before = hub.subscriptionCount();
        SseRecorder recorder = SseRecorder.open(url(path));
        await("subscription to " + path, () -> hub.subscriptionCount() > before);
        return recorder;
    }

    @Override
    public void close() {
        if (context().isRunning()) {
            context().close();
        }
    }
}
