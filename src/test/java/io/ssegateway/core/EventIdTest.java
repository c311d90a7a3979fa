package io.ssegateway.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventIdTest {

    @Test
    void roundTripsThroughText() {
        EventId id = new EventId("k3v9q2", 1732233600123L, 42);
        assertEquals("k3v9q2-1732233600123-42", id.toString());
        assertEquals(id, EventId.parseOrNull(id.toString()));
        assertEquals("1732233600123-42", id.position());
        assertEquals(id, EventId.fromPosition("k3v9q2", "1732233600123-42"));
    }

    @Test
    void ordersByMillisThenSequence() {
        EventId a = new EventId("e", 10, 5);
        EventId b = new EventId("e", 10, 6);
        EventId c = new EventId("e", 11, 1);
        assertTrue(b.isAfter(a));
        assertTrue(c.isAfter(b));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "hello", "message-4", "E-1-2", "e--1-2", "e-1-2-3", "e-x-2", "e-1-", "-1-2",
            "e-99999999999999999999-1", "e-1-2\r", "e-1-+2"})
    void foreignOrMalformedIdsAreNotOurs(String text) {
        assertNull(EventId.parseOrNull(text));
    }
}
