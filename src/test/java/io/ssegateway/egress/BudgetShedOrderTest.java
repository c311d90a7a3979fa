package io.ssegateway.egress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which streams a shed of the {@link OutboundBudget} cuts, at the byte level through embedded
 * channels: the largest backlogs, and only as many as bring the total under the low mark. A
 * reader with a few events in flight is not cut while larger backlogs are there to cut.
 */
class BudgetShedOrderTest {
    private static final int BUDGET = 64 * 1024;
    private static final String PAYLOAD = "x".repeat(1000);

    @RegisterExtension
    static final EmbeddedGateway gateway = new EmbeddedGateway(Map.of("sse.outbound-budget", BUDGET));
    private int sequence;

    @Test
    void theLargestBacklogsAreCutFirstAndAReaderWithLessInFlightKeepsItsStream() {
        OutboundBudget budget = gateway.bean(OutboundBudget.class);
        // Stalled from the start, subscribed at different times: backlogs of different sizes.
        EmbeddedConnection largest = subscribe();
        largest.stall();
        publish(24);
        EmbeddedConnection second = subscribe();
        second.stall();
        publish(12);
        // A reader whose last events are still on their way to it: a backlog, the smallest.
        EmbeddedConnection reader = subscribe();
        reader.stall();

        int published = 0;
        while (largest.isOpen() && published < 40) {
            publish(1);
            published++;
            assertTrue(reader.isOpen(), "the reader was cut while larger backlogs were there, after " + published);
            assertTrue(second.isOpen(), "the second largest was cut before the largest, after " + published);
        }
        assertFalse(largest.isOpen(), "nothing cut after " + published + " events, budget used " + budget.used());
        // One cut brought the total under the low mark: the others keep their streams.
        assertTrue(budget.used() <= BUDGET, "still over the budget after the cut: " + budget.used());
        assertTrue(second.isOpen());
        assertTrue(reader.isOpen());
        reader.resume();
        assertTrue(reader.received().endsWith((sequence - 1) + ":" + PAYLOAD + "\n\n\r\n"), "the reader got the last event");
    }

    private static EmbeddedConnection subscribe() {
        return gateway.subscribe("/subscribe/shed");
    }

    /** Publishes {@code n} events and runs every connection's fan-out and flushes. */
    private void publish(int n) {
        for (int i = 0; i < n; i++) {
            gateway.publish("/shed", sequence++ + ":" + PAYLOAD);
            gateway.runAll();
        }
    }
}
