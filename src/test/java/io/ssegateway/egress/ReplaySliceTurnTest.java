package io.ssegateway.egress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A replay leaves a slice at a time, and the next slice is a task of its own on the stream's
 * event loop, queued once the socket took the slice before. Run inside the write's completion
 * instead, every writable stream wrote its next slice in the loop's I/O pass, and in a resume
 * storm a publish or a readiness check on the same loop waited behind all of them (publish p99
 * 3 s, readiness checks timed out).
 */
class ReplaySliceTurnTest {
    private static final int SLICES = 12;
    private static final byte[] FRAME = ("data: " + "x".repeat(1000) + "\n\n").getBytes(StandardCharsets.US_ASCII);

    @RegisterExtension
    static final EmbeddedGateway gateway = new EmbeddedGateway(Map.of());

    @Test
    void workWaitingOnTheLoopRunsBetweenTwoSlicesNotAfterTheWholeReplay() {
        EmbeddedConnection c = gateway.subscribe("/subscribe/slices");
        SseStream stream = gateway.bean(Connections.class).streams().get(0);
        List<String> order = new ArrayList<>();
        Runnable[] slice = new Runnable[1];
        int[] written = {0};
        slice[0] = () -> {
            order.add("slice " + written[0]);
            if (++written[0] < SLICES) {
                stream.sendFrame(FRAME);
                stream.flushThen(slice[0]);
            }
        };

        stream.sendFrame(FRAME);
        stream.flushThen(slice[0]);
        assertEquals(List.of(), order, "the next slice ran inside the write of the one before");
        stream.eventLoop().execute(() -> order.add("request"));
        c.runTasks();

        List<String> expected = new ArrayList<>(List.of("slice 0", "request"));
        for (int i = 1; i < SLICES; i++) {
            expected.add("slice " + i);
        }
        assertEquals(expected, order);
        String received = c.received();
        assertEquals(SLICES, received.split("data: ", -1).length - 1, "every slice reaches the client");
    }

    @Test
    void theNextSliceWaitsUntilTheClientTookTheOneBefore() {
        EmbeddedConnection c = gateway.subscribe("/subscribe/slices-stalled");
        SseStream stream = gateway.bean(Connections.class).streams().get(0);
        List<String> order = new ArrayList<>();

        c.stall();
        stream.sendFrame(FRAME);
        stream.flushThen(() -> order.add("next"));
        c.runTasks();
        assertEquals(List.of(), order, "the next slice did not wait for the client");

        c.resume();
        c.runTasks();
        assertEquals(List.of("next"), order);
    }
}
