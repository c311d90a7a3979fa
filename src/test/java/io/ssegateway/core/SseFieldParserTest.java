package io.ssegateway.core;

import io.ssegateway.core.SseFieldParser.Fields;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SseFieldParserTest {

    @Test
    void linesEndAtLf() {
        assertEquals(List.of(new Fields("new-cat", "Persian\nSiamese", null, null)),
                SseFieldParser.parse("event: new-cat\ndata: Persian\ndata: Siamese"));
    }

    @Test
    void linesEndAtCrLf() {
        assertEquals(List.of(new Fields("new-cat", "Persian\nSiamese", null, null)),
                SseFieldParser.parse("event: new-cat\r\ndata: Persian\r\ndata: Siamese\r\n"));
    }

    @Test
    void linesEndAtCr() {
        assertEquals(List.of(new Fields("new-cat", "Persian\nSiamese", null, null)),
                SseFieldParser.parse("event: new-cat\rdata: Persian\rdata: Siamese\r"));
    }

    @Test
    void mixedTerminatorsEachEndOneLine() {
        assertEquals(List.of(new Fields(null, "a\nb\nc\nd", null, null)),
                SseFieldParser.parse("data: a\rdata: b\ndata: c\r\ndata: d"));
    }

    @Test
    void crInsideAnIdEndsTheFieldSoItCanNeverCarryASecondField() {
        List<Fields> events = SseFieldParser.parse("id: 1\revent: forged\ndata: x");
        assertEquals(List.of(new Fields("forged", "x", "1", null)), events);
    }

    @Test
    void onlyOneSpaceAfterTheColonIsStrippedAndNoSpaceIsNeeded() {
        assertEquals(List.of(new Fields(null, " two spaces\nnone", null, null)),
                SseFieldParser.parse("data:  two spaces\ndata:none"));
    }

    @Test
    void commentsAndUnknownFieldsAreIgnored() {
        assertEquals(List.of(new Fields(null, "kept", null, null)),
                SseFieldParser.parse("data: kept\n: a comment\nfoo: bar"));
    }

    @Test
    void aFieldWithoutColonHasAnEmptyValue() {
        assertEquals(List.of(new Fields(null, "\nx", null, null)), SseFieldParser.parse("data\ndata: x"));
    }

    @Test
    void blankLineSeparatesEventsAndTheEndOfTextEndsTheLast() {
        assertEquals(List.of(new Fields("a", "1", null, null), new Fields(null, "2", null, null)),
                SseFieldParser.parse("event: a\ndata: 1\n\ndata: 2"));
    }

    @Test
    void anEventWithoutDataIsNoEvent() {
        assertEquals(List.of(), SseFieldParser.parse("event: ping\n\n"));
        assertEquals(List.of(new Fields(null, "", null, null)), SseFieldParser.parse("data:"));
    }

    @Test
    void retryIsKeptOnlyWhenItIsAllDigits() {
        assertEquals(List.of(new Fields(null, "x", null, 5000L)), SseFieldParser.parse("retry: 5000\ndata: x"));
        assertEquals(List.of(new Fields(null, "x", null, null)), SseFieldParser.parse("retry: 5s\ndata: x"));
        assertEquals(List.of(new Fields(null, "x", null, null)), SseFieldParser.parse("retry: -1\ndata: x"));
    }

    @Test
    void idWithNulIsIgnored() {
        assertEquals(List.of(new Fields(null, "x", null, null)), SseFieldParser.parse("id: a\0b\ndata: x"));
    }

    @Test
    void leadingByteOrderMarkIsSkipped() {
        assertEquals(List.of(new Fields(null, "x", null, null)), SseFieldParser.parse("\uFEFFdata: x"));
    }

    @Test
    void fieldTextIsRecognisedByItsFirstLine() {
        assertTrue(SseFieldParser.looksLikeFields("event: x\ndata: y"));
        assertTrue(SseFieldParser.looksLikeFields("data:y"));
        assertTrue(SseFieldParser.looksLikeFields("id: 1"));
        assertTrue(SseFieldParser.looksLikeFields("retry: 10"));
        assertFalse(SseFieldParser.looksLikeFields("Persian"));
        assertFalse(SseFieldParser.looksLikeFields("hello\ndata: x"));
        assertFalse(SseFieldParser.looksLikeFields(" data: x"));
        assertFalse(SseFieldParser.looksLikeFields("Data: x"));
        assertFalse(SseFieldParser.looksLikeFields(""));
    }
}
