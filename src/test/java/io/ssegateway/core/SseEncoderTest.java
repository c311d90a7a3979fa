package io.ssegateway.core;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SseEncoderTest {

    private static String encode(String id, String type, String data) {
        return new String(SseEncoder.encode(id, type, data, null), StandardCharsets.UTF_8);
    }

    @Test
    void singleLineEventHasIdEventAndData() {
        assertEquals("id: 7\nevent: new-cat\ndata: Persian\n\n", encode("7", "new-cat", "Persian"));
    }

    @Test
    void messageTypeIsNotWritten() {
        assertEquals("id: 7\ndata: hi\n\n", encode("7", "message", "hi"));
    }

    @Test
    void lineFeedSplitsData() {
        assertEquals("data: a\ndata: b\n\n", encode(null, "message", "a\nb"));
    }

    @Test
    void carriageReturnLineFeedSplitsDataOnce() {
        assertEquals("data: a\ndata: b\n\n", encode(null, "message", "a\r\nb"));
    }

    @Test
    void loneCarriageReturnSplitsData() {
        assertEquals("data: a\ndata: b\n\n", encode(null, "message", "a\rb"));
    }

    @Test
    void carriageReturnsAndLineFeedsMixedGiveOneLineEach() {
        assertEquals("data: a\ndata: \ndata: b\ndata: c\n\n", encode(null, "message", "a\n\rb\r\nc"));
    }

    @Test
    void trailingLineBreakKeepsAnEmptyLastLine() {
        assertEquals("data: a\ndata: \n\n", encode(null, "message", "a\n"));
    }

    @Test
    void emptyDataIsStillOneDataLine() {
        assertEquals("data: \n\n", encode(null, "message", ""));
    }

    @Test
    void leadingSpaceOfDataSurvivesTheParsersStrip() {
        assertEquals("data:  x\n\n", encode(null, "message", " x"));
    }

    @Test
    void retryIsWrittenAsItsOwnField() {
        assertEquals("retry: 5000\ndata: x\n\n",
                new String(SseEncoder.encode(null, "message", "x", 5000L), StandardCharsets.UTF_8));
    }

    @Test
    void openingAndKeepaliveAreExact() {
        assertEquals("retry: 3000\n\n", new String(SseEncoder.retry(3000), StandardCharsets.US_ASCII));
        assertEquals(": keepalive\n\n", new String(SseEncoder.keepalive(), StandardCharsets.US_ASCII));
    }

    @Test
    void crInIdCannotReachTheWire() {
        assertThrows(GatewayException.class, () -> encode("1\rdata: forged", "message", "x"));
    }

    @Test
    void lfInEventTypeCannotReachTheWire() {
        assertThrows(GatewayException.class, () -> encode("1", "a\nid: 9", "x"));
    }

    @Test
    void unicodeIsUtf8() {
        assertEquals("data: чай ☕\n\n", encode(null, "message", "чай ☕"));
    }
}
