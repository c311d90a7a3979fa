package io.ssegateway.bench;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SseParserTest {
    private final List<String> seen = new ArrayList<>();
    private final SseParser parser = new SseParser(new SseParser.Listener() {
        @Override
        public void opened(int status) {
            seen.add("open " + status);
        }

        @Override
        public void event(Payload.Fields f) {
            seen.add("event " + f.publisher + "/" + f.seq + "@" + f.sentNanos);
        }

        @Override
        public void gap() {
            seen.add("gap");
        }

        @Override
        public void ended() {
            seen.add("end");
        }
    });

    private void feedOneByteAtATime(String wire) {
        byte[] b = wire.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            parser.feed(b, i, 1);
        }
    }

    private static String chunk(String s) {
        return Integer.toHexString(s.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + s + "\r\n";
    }

    @Test
    void readsChunkedEventsSplitAnywhere() {
        String head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
        String e1 = "id: a-1\ndata: " + Payload.encode(2, 7, 123456789) + "\n\n";
        String e2 = "id: a-2\r\ndata: " + Payload.encode(2, 8, -5) + "\r\n\r\n";
        feedOneByteAtATime(head + chunk("retry: 3000\n\n") + chunk(e1) + chunk(e2) + "0\r\n\r\n");
        assertEquals(List.of("open 200", "event 2/7@123456789", "event 2/8@-5", "end"), seen);
        assertEquals("a-2", parser.lastEventId());
    }

    @Test
    void readsAnUnchunkedBodyWithCrLineEnds() {
        String wire = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n: hi\r\rid: 9:0\rdata: "
                + Payload.encode(0, 1, 42) + "\r\r";
        feedOneByteAtATime(wire);
        assertEquals(List.of("open 200", "event 0/1@42"), seen);
        assertEquals("9:0", parser.lastEventId());
    }

    @Test
    void reportsAHistoryGapAndIgnoresForeignData() {
        String wire = "HTTP/1.1 200 OK\r\n\r\nevent: history-gap\ndata: {\"lastEventId\":\"x\"}\n\ndata: Persian\n\n";
        byte[] b = wire.getBytes(StandardCharsets.UTF_8);
        parser.feed(b, 0, b.length);
        assertEquals(List.of("open 200", "gap"), seen);
    }

    @Test
    void countsDuplicatesAndToleratesReordering() {
        SeqTracker t = new SeqTracker(1, 0);
        for (long s : new long[] {0, 2, 1, 1, 3, 0}) {
            t.record(0, s);
        }
        assertEquals(4, t.unique(0));
        assertEquals(2, t.duplicates());
        assertEquals(4, t.contiguous(0));
    }
}
