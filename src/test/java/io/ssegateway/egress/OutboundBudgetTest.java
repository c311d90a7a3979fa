package io.ssegateway.egress;

import io.ssegateway.status.GatewayMetrics;
import io.ssegateway.testing.Await;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.RawSse;
import io.ssegateway.testing.SseRecorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many clients that stop reading share one budget: once what is queued for all of them passes
 * it, the largest backlogs are cut (and counted), long before any one of them reaches its own
 * outbound bound, while a client that reads gets every event.
 */
class OutboundBudgetTest {
    private static final int BUDGET = 256 * 1024;
    private static final int STUCK = 8;
    /** Copied into each connection's chunk (under StreamWriter.COPY_LIMIT), so each backlog costs memory. */
    private static final String PAYLOAD = "x".repeat(3000);
    /**
     * 600 KB for each stuck client: past what the kernel buffers for it (a 64 KiB send buffer,
     * doubled, and a 4 KiB receive buffer), under its own 1 MiB outbound bound, and for all of
     * them together many times the budget.
     */
    private static final int EVENTS = 200;

    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = Gateway.start(Map.of("sse.outbound-budget", BUDGET));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void clientsThatStopReadingAreCutWhenTogetherTheyPassTheBudgetAndAReaderMissesNothing() throws Exception {
        Connections connections = gateway.bean(Connections.class);
        GatewayMetrics metrics = gateway.bean(GatewayMetrics.class);
        OutboundBudget budget = gateway.bean(OutboundBudget.class);
        List<RawSse> stuck = new ArrayList<>();
        try (SseRecorder reader = SseRecorder.open(gateway.url("/subscribe/budget"))) {
            reader.awaitOpen();
            for (int i = 0; i < STUCK; i++) {
                RawSse s = RawSse.withReceiveBuffer(4096, gateway.port(), "/subscribe/budget");
                s.readUntil("retry: 3000\n\n");
                stuck.add(s);
            }
            Await.until(() -> connections.count() == STUCK + 1);

            long peak = 0;
            for (int i = 0; i < EVENTS; i++) {
                gateway.publish("/budget", "message", i + ":" + PAYLOAD);
                // Paced by the reader: it is never behind, only the stuck clients are.
                assertEquals(i + ":" + PAYLOAD, reader.next().data());
                peak = Math.max(peak, budget.used());
            }
            assertTrue(metrics.slowDisconnects() > 0, "no stuck client was cut");
            // Over by at most what a stream gathers before its report reaches the budget, for each
            // stream: one turn, and one more when the cut of the turn before is still on its way.
            // Without the budget the stuck clients held their whole backlogs: megabytes.
            assertTrue(peak <= BUDGET + 2L * (STUCK + 1) * (BudgetShare.REPORT_EVERY + PAYLOAD.length() + 64),
                    "peak " + peak + " over the budget " + BUDGET);
            assertTrue(!reader.hasEnded(), "the reader was not cut");
        } finally {
            for (RawSse s : stuck) {
                s.close();
            }
        }
        Await.until(() -> connections.count() == 0);
        Await.until(() -> budget.used() == 0);
    }
}
