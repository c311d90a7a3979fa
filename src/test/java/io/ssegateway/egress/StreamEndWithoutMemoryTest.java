package io.ssegateway.egress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stream the server ends (a drain, its maximum age, a replay it fell behind in) ends even when
 * no buffer can be had for its last {@code retry:}: otherwise it stayed open with nothing more
 * written to it but keepalives, and a reading client missed every later event with no end to
 * resume from.
 */
class StreamEndWithoutMemoryTest {
    @RegisterExtension
    static final EmbeddedGateway gateway = new EmbeddedGateway(Map.of());

    @Test
    void aStreamEndedWhileAllocationsFailStillEndsAndItsConnectionCloses() {
        Connections connections = gateway.bean(Connections.class);
        EmbeddedConnection c = gateway.subscribe("/subscribe/oom");
        assertEquals(1, connections.count());
        SseStream stream = connections.streams().get(0);
        c.failAllocations();

        stream.close("draining");
        c.runTasks();

        assertTrue(stream.isClosed(), "the stream did not end");
        assertFalse(c.isOpen(), "the connection stayed open: the client would never resume");
        assertEquals(0, connections.count());
    }
}
