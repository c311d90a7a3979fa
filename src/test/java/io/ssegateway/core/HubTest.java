package io.ssegateway.core;

import io.ssegateway.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HubTest {
    private final List<RecordingSink> sinks = new ArrayList<>();
    private LocalBroker broker;
    private Hub hub;

    @BeforeEach
    void start() {
        broker = new LocalBroker(HistoryPolicy.DEFAULTS, Clock.systemUTC());
        hub = new Hub(broker, Hub.Settings.DEFAULTS);
        hub.start();
    }

    @AfterEach
    void stop() {
        sinks.forEach(RecordingSink::close);
    }

    private RecordingSink subscribe(String lastEventId, String... topics) throws Exception {
        RecordingSink sink = new RecordingSink();
        sinks.add(sink);
        List<Namespace> ns = new ArrayList<>();
        for (String t : topics) {
            ns.add(Namespace.parse(t));
        }
        sink.onThread(() -> hub.subscribe(ns, Audience.ANONYMOUS, lastEventId, sink));
        return sink;
    }

    /** Replaces the hub with one on {@code wrapper}, a broker that provokes a situation. */
    private void startHubOn(Broker wrapper) {
        hub = new Hub(wrapper, Hub.Settings.DEFAULTS);
        hub.start();
    }

    private Event publish(String namespace, String data) {
        return broker.publish(EventDraft.of(Namespace.parse(namespace), "message", data)).join();
    }

    @Test
    void parentReceivesDescendantsButNotSiblingsWithASharedPrefix() throws Exception {
        RecordingSink pets = subscribe(null, "/pets");
        RecordingSink cats = subscribe(null, "/pets/cats");
        RecordingSink root = subscribe(null, "/");
        publish("/pets/cats", "a");
        publish("/petshop", "b");
        publish("/pets", "c");
        assertEquals(List.of("a", "c"), pets.nextData(2));
        assertEquals(List.of("a"), cats.nextData(1));
        assertEquals(List.of("a", "b", "c"), root.nextData(3));
        pets.assertNoMore();
        cats.assertNoMore();
        root.assertNoMore();
    }

    @Test
    void multiplexedSubscriptionGetsEachEventOnce() throws Exception {
        RecordingSink s = subscribe(null, "/pets", "/pets/cats", "/news");
        publish("/pets/cats", "a");
        broker.publish(new EventDraft(List.of(Namespace.parse("/news"), Namespace.parse("/pets")), "message", "b", false, null)).join();
        assertEquals(List.of("a", "b"), s.nextData(2));
        s.assertNoMore();
    }

    @Test
    void resumeAfterNoMissedEventsReplaysNothing() throws Exception {
        Event last = publish("/pets", "a");
        RecordingSink s = subscribe(last.id().toString(), "/pets");
        publish("/pets", "b");
        assertEquals(List.of("b"), s.nextData(1));
        s.assertNoMore();
    }

    @Test
    void resumeAfterOneAndManyMissedEventsIsExact() throws Exception {
        Event first = publish("/pets/cats", "0");
        for (int i = 1; i <= 50; i++) {
            publish(i % 2 == 0 ? "/pets/cats" : "/pets/dogs", String.valueOf(i));
        }
        RecordingSink many = subscribe(first.id().toString(), "/pets");
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            expected.add(String.valueOf(i));
        }
        assertEquals(expected, many.nextData(50));
        many.assertNoMore();

        Event before = publish("/pets", "x");
        publish("/pets", "y");
        RecordingSink one = subscribe(before.id().toString(), "/pets");
        assertEquals(List.of("y"), one.nextData(1));
        one.assertNoMore();
    }

    @Test
    void replayLongerThanOneSliceArrivesWholeThenGoesLive() throws Exception {
        String pad = "x".repeat(200);
        Event first = publish("/pets", "start");
        List<String> expected = new ArrayList<>();
        // 500 events of ~250 bytes: several slices of the replay.
        for (int i = 0; i < 500; i++) {
            expected.add(i + pad);
            publish("/pets", i + pad);
        }
        RecordingSink s = subscribe(first.id().toString(), "/pets");
        publish("/pets", "live");
        expected.add("live");
        assertEquals(expected, s.nextData(501));
        s.assertNoMore();
    }

    @Test
    void liveEventsDuringReplayAreHeldThenDeliveredWithoutGapOrDuplicate() throws Exception {
        HeldReplayBroker held = new HeldReplayBroker(broker);
        hub = new Hub(held, Hub.Settings.DEFAULTS);
        hub.start();
        Event first = publish("/pets", "0");
        publish("/pets", "1");
        publish("/pets", "2");
        RecordingSink s = subscribe(first.id().toString(), "/pets");
        // Published after the subscription was registered but before its replay was answered:
        // "3" will be both in the replay and live; "4" only live.
        publish("/pets", "3");
        held.release();
        publish("/pets", "4");
        assertEquals(List.of("1", "2", "3", "4"), s.nextData(4));
        s.assertNoMore();
    }

    @Test
    void aClientThatPassesTheHoldLimitDuringItsReplayIsClosedAndItIsReportedAsAFailedReplay() throws Exception {
        HeldReplayBroker held = new HeldReplayBroker(broker);
        hub = new Hub(held, new Hub.Settings(10_000, 2));
        AtomicInteger failed = new AtomicInteger();
        hub.observe(new Metrics() {
            @Override
            public void replayFailed() {
                failed.incrementAndGet();
            }
        });
        hub.start();
        Event first = publish("/pets", "0");
        RecordingSink s = subscribe(first.id().toString(), "/pets");
        for (int i = 1; i <= 3; i++) {
            publish("/pets", String.valueOf(i));
        }
        Await.until(Await.TIMEOUT, "the stream is closed", () -> s.closedWith != null);
        assertEquals("fell behind while replaying history", s.closedWith);
        // Not a silent close: the stream's end is counted (and logged) as a replay that failed.
        assertEquals(1, failed.get());
        held.release();
    }

    @Test
    void unknownIdGetsGapThenEverythingRetained() throws Exception {
        publish("/pets", "a");
        RecordingSink s = subscribe("not-an-id", "/pets");
        Event gap = s.next();
        assertEquals("history-gap", gap.type());
        assertNull(gap.id());
        assertTrue(gap.data().startsWith("{\"lastEventId\":\"not-an-id\",\"oldestRetainedId\":\""));
        assertEquals("a", s.next().data());
    }

    @Test
    void trimmedIdGetsGapWithTheOldestRetained() throws Exception {
        broker = new LocalBroker(new HistoryPolicy(3, java.time.Duration.ofHours(1)), Clock.systemUTC());
        hub = new Hub(broker, Hub.Settings.DEFAULTS);
        hub.start();
        Event first = publish("/pets", "0");
        for (int i = 1; i <= 5; i++) {
            publish("/pets", String.valueOf(i));
        }
        RecordingSink s = subscribe(first.id().toString(), "/pets");
        Event gap = s.next();
        assertEquals("history-gap", gap.type());
        assertEquals(List.of("3", "4", "5"), s.nextData(3));
        assertTrue(gap.data().contains("\"oldestRetainedId\":\""));
    }

    @Test
    void gapGapDataEscapesTheClientsId() throws Exception {
        RecordingSink s = subscribe("a\"b\\c", "/pets");
        assertEquals("{\"lastEventId\":\"a\\\"b\\\\c\",\"oldestRetainedId\":null}", s.next().data());
    }

    @Test
    void resyncCatchesUpEventsMissedByLiveDelivery() throws Exception {
        MutedBroker muted = new MutedBroker(broker);
        startHubOn(muted);
        RecordingSink s = subscribe(null, "/pets");
        publish("/pets", "1");
        assertEquals("1", s.next().data());
        muted.mute = true;
        publish("/pets", "2");
        publish("/pets", "3");
        muted.mute = false;
        hub.onResync();
        publish("/pets", "4");
        assertEquals(List.of("2", "3", "4"), s.nextData(3));
        s.assertNoMore();
    }

    @Test
    void replayOutcomesAreReportedAsExactResumesGapsAndCatchUps() throws Exception {
        MutedBroker muted = new MutedBroker(broker);
        hub = new Hub(muted, Hub.Settings.DEFAULTS);
        List<String> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
        hub.observe(new Metrics() {
            @Override
            public void resumed(boolean gap, int replayed) {
                outcomes.add((gap ? "gap " : "exact ") + replayed);
            }

            @Override
            public void caughtUp(int replayed) {
                outcomes.add("caught-up " + replayed);
            }
        });
        hub.start();
        Event first = publish("/pets", "0");
        publish("/pets", "1");
        publish("/pets", "2");
        RecordingSink exact = subscribe(first.id().toString(), "/pets");
        assertEquals(List.of("1", "2"), exact.nextData(2));
        exact.assertNoMore();
        RecordingSink unknown = subscribe("not-an-id", "/pets");
        assertEquals("history-gap", unknown.next().type());
        assertEquals(List.of("0", "1", "2"), unknown.nextData(3));
        unknown.assertNoMore();
        muted.mute = true;
        publish("/pets", "3");
        muted.mute = false;
        hub.onResync();
        assertEquals(List.of("3"), exact.nextData(1));
        exact.assertNoMore();
        assertEquals(List.of("3"), unknown.nextData(1));
        unknown.assertNoMore();
        assertEquals(List.of("exact 2", "gap 3", "caught-up 1", "caught-up 1"), outcomes);
    }

    @Test
    void resyncThatFindsTheHistoryLostSaysWhichIdTheClientHolds() throws Exception {
        LosingBroker losing = new LosingBroker(broker);
        startHubOn(losing);
        RecordingSink s = subscribe(null, "/pets");
        Event first = publish("/pets", "1");
        assertEquals("1", s.next().data());

        losing.lost = true;
        hub.onResync();

        Event gap = s.next();
        assertEquals("history-gap", gap.type());
        assertEquals("{\"lastEventId\":\"" + first.id() + "\",\"oldestRetainedId\":null}", gap.data());
    }

    /** Answers every replay with a gap and nothing retained once lost, as after a Redis restart. */
    private static final class LosingBroker extends ForwardingBroker {
        volatile boolean lost;

        LosingBroker(Broker delegate) {
            super(delegate);
        }

        @Override
        public CompletableFuture<Replay> replay(List<Namespace> topics, EventId after, int limit) {
            return lost ? CompletableFuture.completedFuture(Replay.empty(true)) : delegate.replay(topics, after, limit);
        }
    }

    /** Holds replay answers until released, so live events can arrive during a replay. */
    private static final class HeldReplayBroker extends ForwardingBroker {
        private final CompletableFuture<Void> gate = new CompletableFuture<>();

        HeldReplayBroker(Broker delegate) {
            super(delegate);
        }

        @Override
        public CompletableFuture<Replay> replay(List<Namespace> topics, EventId after, int limit) {
            return gate.thenCompose(v -> delegate.replay(topics, after, limit));
        }

        void release() {
            gate.complete(null);
        }
    }

    /** Drops live events while muted, as a dropped pub/sub connection would. */
    private static final class MutedBroker extends ForwardingBroker {
        volatile boolean mute;

        MutedBroker(Broker delegate) {
            super(delegate);
        }

        @Override
        public void listen(BrokerListener listener) {
            delegate.listen(new BrokerListener() {
                @Override
                public void onEvent(Event event) {
                    if (!mute) {
                        listener.onEvent(event);
                    }
                }

                @Override
                public void onResync() {
                    listener.onResync();
                }
            });
        }
    }
}
