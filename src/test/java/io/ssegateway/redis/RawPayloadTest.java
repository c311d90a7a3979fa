package io.ssegateway.redis;

import io.ssegateway.core.Event;
import io.ssegateway.core.Namespace;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RawPayloadTest {
    private static final Namespace CATS = Namespace.parse("/pets/cats");

    @Test
    void plainTextIsOneMessageWithThePayloadAsData() {
        List<Event> events = RawPayload.events(CATS, "Persian\nand more");
        assertEquals(1, events.size());
        Event e = events.get(0);
        assertNull(e.id());
        assertEquals("message", e.type());
        assertEquals("Persian\nand more", e.data());
        assertEquals(List.of(CATS), e.namespaces());
    }

    @Test
    void sseFieldTextGivesTypeDataAndRetryButNeverTheId() {
        List<Event> events = RawPayload.events(CATS, "id: 99\r\nevent: new-cat\r\ndata: Persian\r\nretry: 5000");
        assertEquals(1, events.size());
        Event e = events.get(0);
        assertNull(e.id(), "ids are the gateway's");
        assertEquals("new-cat", e.type());
        assertEquals("Persian", e.data());
        assertEquals(5000L, e.retry());
        assertEquals("event: new-cat\nretry: 5000\ndata: Persian\n\n", new String(e.frame(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void eventWithAnInvalidTypeIsDroppedAndTheOthersKept() {
        List<Event> events = RawPayload.events(CATS, "event: bad type!\ndata: x\n\nevent: ok\ndata: y");
        assertEquals(1, events.size());
        assertEquals("ok", events.get(0).type());
    }
}
