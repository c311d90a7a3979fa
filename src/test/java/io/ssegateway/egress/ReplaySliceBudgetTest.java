package io.ssegateway.egress;

import io.ssegateway.status.GatewayMetrics;
import io.ssegateway.testing.Await;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.RawSse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays whose slices sit unsent, many at once, do not make the outbound budget cut the
 * replaying clients: past half the budget, replays go on in small slices.
 *
 * <p>Here the slices sit because the clients are slow to read. Under io_uring they sit for
 * every client until the write's completion is read in a later loop turn; in the resume storm
 * (5,000 clients) one 32 KB slice each passed the budget, and the cut clients reconnected to
 * replay again.
 */
class ReplaySliceBudgetTest {
    private static final int BUDGET = 512 * 1024;
    private static final int CLIENTS = 40;
    private static final int EVENTS = 300;
    /** Copied into each connection's chunk (under StreamWriter.COPY_LIMIT), so slices cost memory. */
    private static final String PAYLOAD = "r".repeat(1000);

    @Test
    void manyReplaysWaitingOnTheirClientsAreNotCutByTheBudget() throws Exception {
        try (Gateway gateway = Gateway.start(Map.of("sse.outbound-budget", BUDGET))) {
            Connections connections = gateway.bean(Connections.class);
            GatewayMetrics metrics = gateway.bean(GatewayMetrics.class);
            for (int i = 0; i < EVENTS; i++) {
                gateway.publish("/replays", "message", i + ":" + PAYLOAD);
            }
            List<RawSse> clients = new ArrayList<>();
            try {
                // 300 KB of replay each, past what the kernel buffers for a client with a 4 KiB
                // receive buffer that does not read yet: every replay stops with a slice unsent.
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(RawSse.withReceiveBuffer(4096, gateway.port(), "/subscribe/replays?rewind=" + EVENTS));
                }
                Await.until(Duration.ofSeconds(20), "every replay waiting on its client, or a cut", () ->
                        metrics.slowDisconnects() > 0 || (connections.count() == CLIENTS && connections.streams().stream()
                                .allMatch(s -> s.writer().share().backlog() > 0)));
                assertEquals(0, metrics.slowDisconnects(), "replaying clients were cut by the budget");
                for (RawSse c : clients) {
                    assertTrue(c.readUntil((EVENTS - 1) + ":" + PAYLOAD).contains("data: 0:" + PAYLOAD));
                }
                assertEquals(0, metrics.slowDisconnects(), "replaying clients were cut by the budget");
            } finally {
                for (RawSse c : clients) {
                    c.close();
                }
            }
        }
    }
}
