package io.ssegateway.egress;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ssegateway.status.GatewayMetrics;
import io.ssegateway.testing.Await;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.RawSse;
import io.ssegateway.testing.Scrape;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that closes its own stream while events flow has left; it did not fall behind. It
 * was logged as {@code event=slow-client-cut} with a {@code ClosedChannelException} stack trace
 * and counted in {@code sse_slow_disconnects_total}, which made a fleet's ordinary reconnects
 * (tabs closed, pages reloaded) look like an overload.
 */
class PeerCloseTest {
    /** Enough clients that some close between the socket's end and Netty's channelInactive. */
    private static final int CLIENTS = 40;
    /** About 5,000 events a second: a few hundred KB per waiting client, far below its bound. */
    private static final long PACE_NANOS = 200_000;

    @Test
    void aClientClosingItsStreamWhileEventsFlowIsNeitherCountedNorLoggedAsSlow() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        AtomicBoolean publishing = new AtomicBoolean(true);
        int startupLines;
        try (Gateway gateway = Gateway.start(Map.of())) {
            Connections connections = gateway.bean(Connections.class);
            GatewayMetrics metrics = gateway.bean(GatewayMetrics.class);
            List<RawSse> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                RawSse client = new RawSse(gateway.port(), "/subscribe/peer");
                client.readUntil("retry: 3000\n\n");
                clients.add(client);
            }
            Await.until(() -> connections.count() == CLIENTS);
            // Start-up warns about development mode; only what follows is about closing streams.
            startupLines = log.list.size();
            Thread publisher = new Thread(() -> {
                int n = 0;
                while (publishing.get()) {
                    gateway.publish("/peer", "message", "event " + n++);
                    // A steady flow, not a flood: the clients still waiting their turn to close
                    // read nothing, and must not fall behind for real.
                    LockSupport.parkNanos(PACE_NANOS);
                }
            }, "peer-close-publisher");
            publisher.start();
            for (RawSse client : clients) {
                client.readMore("data: event");
                // Half of them reset the connection (a killed tab), half close it politely.
                if (clients.indexOf(client) % 2 == 0) {
                    client.resetOnClose();
                }
                client.close();
            }
            Await.until(() -> connections.count() == 0);
            publishing.set(false);
            publisher.join();

            assertEquals(0, metrics.slowDisconnects());
            assertEquals(0, Scrape.of(gateway).require("sse_slow_disconnects_total"));
        } finally {
            publishing.set(false);
            root.detachAppender(log);
        }
        List<String> bad = log.list.subList(startupLines, log.list.size()).stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN) || e.getThrowableProxy() != null
                        || e.getFormattedMessage().contains("slow-client-cut"))
                .map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage()
                        + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getClassName()))
                .toList();
        assertTrue(bad.isEmpty(), () -> String.join("\n", bad));
    }
}
