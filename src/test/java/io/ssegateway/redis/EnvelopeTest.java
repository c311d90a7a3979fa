package io.ssegateway.redis;

import io.ssegateway.core.Event;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.EventId;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Namespace;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvelopeTest {
    private static final Envelope ENVELOPE = RedisTesting.ENVELOPE;
    private static final EventId ID = new EventId("k3v9q2", 1732233600123L, 42);

    @Test
    void encodesToTheDocumentedWireForm() {
        EventDraft draft = EventDraft.of(Namespace.parse("/pets/cats"), "new-cat", "Persian");
        assertEquals("\u001e{\"v\":1,\"id\":\"k3v9q2-1732233600123-42\",\"event\":\"new-cat\",\"ns\":[\"/pets/cats\"],"
                        + "\"data\":\"Persian\",\"private\":false,\"user\":null}",
                ENVELOPE.encode(draft).with(ID));
    }

    @Test
    void roundTripKeepsEveryField() {
        EventDraft draft = new EventDraft(List.of(Namespace.parse("/b"), Namespace.parse("/a/x")), "t.1:x",
                "multi\r\nline \"quoted\" \\ \u0000 \u2028 \ud83d\ude00", true, "u-42");
        Event event = ENVELOPE.decode(ENVELOPE.encode(draft).with(ID));
        assertEquals(ID, event.id());
        assertEquals(draft, event.draft());
    }

    @Test
    void nullUserAndPublicEventRoundTrip() {
        EventDraft draft = EventDraft.of(Namespace.ROOT, null, "");
        Event event = ENVELOPE.decode(ENVELOPE.encode(draft).with(ID));
        assertNull(event.user());
        assertFalse(event.isPrivate());
        assertEquals("message", event.type());
    }

    @Test
    void rawPayloadsAreNotEnvelopes() {
        assertFalse(Envelope.isEnvelope("Persian"));
        assertFalse(Envelope.isEnvelope("{\"v\":1}"));
        assertFalse(Envelope.isEnvelope(""));
        assertTrue(Envelope.isEnvelope("\u001e{}"));
    }

    @Test
    void malformedEnvelopesAreRefused() {
        String good = ENVELOPE.encode(EventDraft.of(Namespace.ROOT, null, "x")).with(ID);
        assertThrows(IllegalArgumentException.class, () -> ENVELOPE.decode("\u001enot json"));
        assertThrows(IllegalArgumentException.class, () -> ENVELOPE.decode(good.replace("\"v\":1", "\"v\":2")));
        assertThrows(IllegalArgumentException.class, () -> ENVELOPE.decode(good.replace(ID.toString(), "bad id")));
        assertThrows(IllegalArgumentException.class, () -> ENVELOPE.decode(good.replace("\"data\":\"x\"", "\"data\":1")));
        assertThrows(GatewayException.class, () -> ENVELOPE.decode(good.replace("\"ns\":[\"/\"]", "\"ns\":[\"/a/../b\"]")));
        assertThrows(GatewayException.class, () -> ENVELOPE.decode(good.replace("\"event\":\"message\"", "\"event\":\"a\\nb\"")));
    }
}
