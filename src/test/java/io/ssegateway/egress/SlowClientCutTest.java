package io.ssegateway.egress;

import io.ssegateway.core.Event;
import io.ssegateway.status.GatewayMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static io.ssegateway.egress.SseRouterTest.chunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The slow-client cut at the byte level, through embedded channels (no socket): a connection
 * that stops taking bytes is cut once what is queued for it would pass the outbound bound, and
 * the other connections get every byte as if nothing happened.
 */
class SlowClientCutTest {
    private static final int OUTBOUND_BUFFER = 16 * 1024;
    private static final String PAYLOAD = "x".repeat(1000);

    @RegisterExtension
    static final EmbeddedGateway gateway = new EmbeddedGateway(Map.of("sse.outbound-buffer", OUTBOUND_BUFFER));

    @Test
    void aConnectionThatStopsTakingBytesIsCutAtTheBoundAndTheOthersGetEveryByte() {
        Connections connections = gateway.bean(Connections.class);
        GatewayMetrics metrics = gateway.bean(GatewayMetrics.class);
        long slowBefore = metrics.slowDisconnects();
        EmbeddedConnection reader = gateway.subscribe("/subscribe/cut");
        EmbeddedConnection stuck = gateway.subscribe("/subscribe/cut");
        stuck.stall();

        long queuedBefore = 0;
        String last = null;
        int published = 0;
        while (stuck.isOpen() && published < 4 * OUTBOUND_BUFFER / PAYLOAD.length()) {
            queuedBefore = stuck.queuedBytes();
            Event e = gateway.publish("/cut", published + ":" + PAYLOAD);
            published++;
            gateway.runAll();
            last = chunk("id: " + e.id() + "\ndata: " + (published - 1) + ":" + PAYLOAD + "\n\n");
            assertEquals(last, reader.received(), "event " + published);
            assertTrue(stuck.queuedBytes() <= OUTBOUND_BUFFER, "held past the bound: " + stuck.queuedBytes());
        }

        assertFalse(stuck.isOpen(), "never cut after " + published + " events");
        assertEquals(slowBefore + 1, metrics.slowDisconnects(), "counted as slow, once");
        // Not before the bound: the event it was cut on would have taken it past.
        assertTrue(queuedBefore + last.length() > OUTBOUND_BUFFER,
                "cut with " + queuedBefore + " bytes queued, on a chunk of " + last.length());
        assertTrue(published > 10, "cut after " + published + " events of about 1 KiB");
        assertEquals(1, connections.count(), "the cut stream left the registry");

        Event after = gateway.publish("/cut", "after");
        gateway.runAll();
        assertEquals(chunk("id: " + after.id() + "\ndata: after\n\n"), reader.received());
        assertTrue(reader.isOpen());
    }

    @Test
    void aConnectionThatPausesWithinTheBoundKeepsItsStreamAndGetsEveryByteWhenItReadsAgain() {
        GatewayMetrics metrics = gateway.bean(GatewayMetrics.class);
        long slowBefore = metrics.slowDisconnects();
        EmbeddedConnection paused = gateway.subscribe("/subscribe/pause");
        paused.stall();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            Event e = gateway.publish("/pause", i + ":" + PAYLOAD);
            paused.runTasks();
            expected.append(chunk("id: " + e.id() + "\ndata: " + i + ":" + PAYLOAD + "\n\n"));
        }
        assertEquals("", paused.received(), "nothing taken while paused");
        assertTrue(paused.queuedBytes() > 5 * PAYLOAD.length(), "queued: " + paused.queuedBytes());

        paused.resume();
        assertEquals(expected.toString(), paused.received());
        assertTrue(paused.isOpen());
        assertEquals(slowBefore, metrics.slowDisconnects());
    }
}
