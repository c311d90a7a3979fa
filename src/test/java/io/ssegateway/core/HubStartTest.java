package io.ssegateway.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a subscription starts (rewind, since) and how what it held during its replay leaves. */
class HubStartTest {
    private final List<RecordingSink> sinks = new ArrayList<>();
    private LocalBroker broker;
    private GatedBroker gated;
    private Hub hub;

    @BeforeEach
    void start() {
        broker = new LocalBroker(HistoryPolicy.DEFAULTS, Clock.systemUTC());
        gated = new GatedBroker(broker);
        hub = new Hub(gated, Hub.Settings.DEFAULTS);
        hub.start();
    }

    @AfterEach
    void stop() {
        sinks.forEach(RecordingSink::close);
    }

    private RecordingSink subscribe(StartPoint start, String topic) throws Exception {
        RecordingSink sink = new RecordingSink();
        sinks.add(sink);
        sink.onThread(() -> hub.subscribe(List.of(Namespace.parse(topic)), Audience.ANONYMOUS, start, sink));
        return sink;
    }

    private Event publish(String namespace, String data) {
        return broker.publish(EventDraft.of(Namespace.parse(namespace), "message", data)).join();
    }

    @Test
    void rewindSendsTheNewestRetainedThenLiveWithoutAGap() throws Exception {
        for (int i = 0; i < 10; i++) {
            publish(i % 2 == 0 ? "/pets/cats" : "/news", "e" + i);
        }
        gated.open();
        RecordingSink s = subscribe(StartPoint.rewind(3), "/pets");
        publish("/pets", "live");
        assertEquals(List.of("e4", "e6", "e8", "live"), s.nextData(4));
        s.assertNoMore();
    }

    @Test
    void sinceSendsWhatWasPublishedFromThatTimeThenLive() throws Exception {
        publish("/pets", "old");
        Event from = publish("/pets", "a");
        publish("/pets", "b");
        gated.open();
        RecordingSink s = subscribe(StartPoint.since(from.id().millis()), "/pets");
        publish("/pets", "live");
        List<String> got = new ArrayList<>();
        for (Event e = s.next(); !e.data().equals("live"); e = s.next()) {
            got.add(e.data());
        }
        // "old" shares the millisecond with "a" when both were published within it.
        assertTrue(got.equals(List.of("a", "b")) || got.equals(List.of("old", "a", "b")), got.toString());
        s.assertNoMore();
    }

    @Test
    void sinceOlderThanTheRetainedHistoryStartsWithAGap() throws Exception {
        Event a = publish("/pets", "a");
        gated.open();
        RecordingSink s = subscribe(StartPoint.since(a.id().millis() - HistoryPolicy.DEFAULTS.maxAge().toMillis() - 1000), "/pets");
        Event gap = s.next();
        assertEquals("history-gap", gap.type());
        assertNull(gap.id());
        assertEquals("{\"lastEventId\":null,\"oldestRetainedId\":\"" + a.id() + "\"}", gap.data());
        assertEquals("a", s.next().data());
    }

    @Test
    void liveEventsHeldDuringARewindAreNeitherLostNorRepeated() throws Exception {
        publish("/pets", "0");
        publish("/pets", "1");
        RecordingSink s = subscribe(StartPoint.rewind(2), "/pets");
        // Published after the subscription was registered, before its read: in the replay and held.
        publish("/pets", "2");
        gated.open();
        publish("/pets", "3");
        assertEquals(List.of("1", "2", "3"), s.nextData(3));
        s.assertNoMore();
    }

    @Test
    void manyLiveEventsHeldDuringAReplayLeaveInSlicesNotAllAtOnce() throws Exception {
        Event first = publish("/pets", "start");
        RecordingSink s = subscribe(StartPoint.resume(first.id().toString()), "/pets");
        // A burst while the replay is being read, as after a pub/sub reconnect: 400 events of
        // ~1 KB, 400 KB held.
        String pad = "y".repeat(1000);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            expected.add(i + pad);
            publish("/pets", i + pad);
        }
        gated.open();
        assertEquals(expected, s.nextData(400));
        s.assertNoMore();
        int largest = s.largestFlush;
        assertTrue(largest < Sink.SLICE_BYTES + 2048, "one flush carried " + largest + " bytes");
    }

    /** Holds every history read until opened, as a slow Redis would. */
    private static final class GatedBroker extends ForwardingBroker {
        private final CompletableFuture<Void> gate = new CompletableFuture<>();

        GatedBroker(Broker delegate) {
            super(delegate);
        }

        @Override
        public CompletableFuture<Replay> replay(List<Namespace> topics, EventId after, int limit) {
            return gate.thenCompose(v -> delegate.replay(topics, after, limit));
        }

        @Override
        public CompletableFuture<Replay> replaySince(List<Namespace> topics, long sinceMillis, int limit) {
            return gate.thenCompose(v -> delegate.replaySince(topics, sinceMillis, limit));
        }

        void open() {
            gate.complete(null);
        }
    }
}
