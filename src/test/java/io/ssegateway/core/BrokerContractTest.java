package io.ssegateway.core;

import io.ssegateway.testing.Await;
import io.ssegateway.testing.RecordingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promises of {@link Broker}, checked against every implementation: a subclass supplies a
 * broker with a history of its own, and every test here must pass for it unchanged.
 */
public abstract class BrokerContractTest {
    protected static final Duration TIMEOUT = Duration.ofSeconds(10);
    protected static final HistoryPolicy ROOMY = new HistoryPolicy(100, Duration.ofHours(1));

    private final List<Broker> opened = new ArrayList<>();

    /** A new broker whose history is empty and seen by no other broker of this test. */
    protected abstract Broker newBroker(HistoryPolicy policy);

    protected final Broker broker(HistoryPolicy policy) {
        Broker b = newBroker(policy);
        opened.add(b);
        return b;
    }

    @AfterEach
    void closeBrokers() {
        opened.forEach(Broker::close);
    }

    protected static Event publish(Broker broker, String data, String... namespaces) {
        return publish(broker, new EventDraft(namespaces(namespaces), null, data, false, null));
    }

    protected static Event publish(Broker broker, EventDraft draft) {
        return await(broker.publish(draft));
    }

    protected static Replay replay(Broker broker, EventId after, int limit, String... topics) {
        return await(broker.replay(namespaces(topics), after, limit));
    }

    protected static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("broker call failed", e);
        }
    }

    protected static List<Namespace> namespaces(String... paths) {
        return Arrays.stream(paths).map(Namespace::parse).toList();
    }

    protected static List<EventId> ids(List<Event> events) {
        return events.stream().map(Event::id).toList();
    }

    protected static List<EventId> ids(Event... events) {
        return ids(List.of(events));
    }

    @Test
    void headIsNullBeforeTheFirstPublishAndTheNewestIdAfter() {
        Broker broker = broker(ROOMY);
        assertNull(await(broker.head()));
        publish(broker, "one", "/a");
        Event last = publish(broker, "two", "/b");
        assertEquals(last.id(), await(broker.head()));
    }

    @Test
    void idsIncreaseAcrossNamespaces() {
        Broker broker = broker(ROOMY);
        EventId previous = null;
        for (String ns : List.of("/a", "/b", "/a/x", "/", "/b", "/a")) {
            EventId id = publish(broker, "x", ns).id();
            if (previous != null) {
                assertTrue(id.isAfter(previous), id + " after " + previous);
                assertTrue(id.sameEpoch(previous));
            }
            previous = id;
        }
    }

    @Test
    void eventKeepsEverythingThePublisherSaidThroughListenerAndReplay() {
        Broker broker = broker(ROOMY);
        RecordingListener listener = new RecordingListener();
        broker.listen(listener);
        EventDraft draft = new EventDraft(namespaces("/pets/cats", "/alerts"), "new-cat",
                "line one\r\nline two\rthree\n\u00e9\u4e2d\"quoted\"", true, "u-42");
        Event published = publish(broker, draft);

        Event live = listener.take(TIMEOUT);
        Event replayed = replay(broker, null, 10, "/").events().get(0);
        for (Event e : List.of(published, live, replayed)) {
            assertEquals(published.id(), e.id());
            assertEquals("new-cat", e.type());
            assertEquals(draft.data(), e.data());
            assertEquals(namespaces("/alerts", "/pets/cats"), e.draft().sortedNamespaces());
            assertTrue(e.isPrivate());
            assertEquals("u-42", e.user());
        }
    }

    @Test
    void listenerSeesEveryStoredEventOnceInIdOrder() {
        Broker broker = broker(ROOMY);
        RecordingListener listener = new RecordingListener();
        broker.listen(listener);
        List<EventId> published = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String[] ns = i % 3 == 0 ? new String[] {"/a", "/b", "/a/c"} : new String[] {i % 2 == 0 ? "/a" : "/b"};
            published.add(publish(broker, "e" + i, ns).id());
        }
        Event marker = publish(broker, "end", "/z");

        List<EventId> seen = new ArrayList<>();
        for (Event e = listener.take(TIMEOUT); !e.id().equals(marker.id()); e = listener.take(TIMEOUT)) {
            seen.add(e.id());
        }
        assertEquals(published, seen);
    }

    @Test
    void replayWithoutAnIdReturnsEverythingRetainedInOrder() {
        Broker broker = broker(ROOMY);
        Replay empty = replay(broker, null, 100, "/");
        assertEquals(List.of(), empty.events());
        assertFalse(empty.gap());
        assertNull(empty.oldestRetained());

        Event a = publish(broker, "1", "/a");
        Event b = publish(broker, "2", "/b");
        Replay all = replay(broker, null, 100, "/");
        assertEquals(ids(a, b), ids(all.events()));
        assertFalse(all.gap());
        assertEquals(a.id(), all.oldestRetained());
    }

    @Test
    void replayAfterAnIdReturnsExactlyWhatFollowsInOrder() {
        Broker broker = broker(ROOMY);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            events.add(publish(broker, "e" + i, i % 2 == 0 ? "/a" : "/a/b"));
        }
        Replay afterNewest = replay(broker, events.get(11).id(), 100, "/a");
        assertEquals(List.of(), afterNewest.events());
        assertFalse(afterNewest.gap());

        Replay afterOne = replay(broker, events.get(10).id(), 100, "/a");
        assertEquals(ids(events.get(11)), ids(afterOne.events()));
        assertFalse(afterOne.gap());

        Replay afterFirst = replay(broker, events.get(0).id(), 100, "/a");
        assertEquals(ids(events.subList(1, 12)), ids(afterFirst.events()));
        assertFalse(afterFirst.gap());
        assertEquals(events.get(0).id(), afterFirst.oldestRetained());
    }

    @Test
    void topicReplaysItsDescendantsInterleavedInPublishOrderButNotLookalikes() {
        Broker broker = broker(ROOMY);
        Event cat = publish(broker, "Persian", "/pets/cats");
        publish(broker, "not a pet", "/petshop");
        Event dog = publish(broker, "Rex", "/pets/dogs");
        Event pets = publish(broker, "all pets", "/pets");
        publish(broker, "also not", "/pets-x");
        Event cat2 = publish(broker, "Siamese", "/pets/cats");

        assertEquals(ids(cat, dog, pets, cat2), ids(replay(broker, null, 100, "/pets").events()));
        assertEquals(ids(cat, cat2), ids(replay(broker, null, 100, "/pets/cats").events()));
        assertEquals(ids(dog), ids(replay(broker, null, 100, "/pets/dogs/").events()));
        assertEquals(6, replay(broker, null, 100, "/").events().size());
        assertEquals(List.of(), replay(broker, null, 100, "/pets/birds").events());
    }

    @Test
    void eventOfSeveralNamespacesIsReplayedOnce() {
        Broker broker = broker(ROOMY);
        Event before = publish(broker, "before", "/a");
        Event both = publish(broker, "both", "/a", "/b", "/c/d");
        Event after = publish(broker, "after", "/b");

        assertEquals(ids(before, both, after), ids(replay(broker, null, 100, "/").events()));
        assertEquals(ids(before, both, after), ids(replay(broker, null, 100, "/a", "/b", "/c").events()));
        assertEquals(ids(both, after), ids(replay(broker, before.id(), 100, "/b", "/c/d").events()));
    }

    @Test
    void replayStopsAtTrimmedHistoryAndSaysSo() {
        Broker broker = broker(new HistoryPolicy(3, Duration.ofHours(1)));
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(publish(broker, "e" + i, "/a"));
        }
        Event other = publish(broker, "other", "/b");

        Replay fromTrimmed = replay(broker, events.get(0).id(), 100, "/a");
        assertTrue(fromTrimmed.gap());
        assertEquals(ids(events.subList(2, 5)), ids(fromTrimmed.events()));
        assertEquals(events.get(2).id(), fromTrimmed.oldestRetained());

        Replay fromHorizon = replay(broker, events.get(1).id(), 100, "/a");
        assertFalse(fromHorizon.gap(), "the newest trimmed id is where the retained history starts");
        assertEquals(ids(events.subList(2, 5)), ids(fromHorizon.events()));

        Replay elsewhere = replay(broker, events.get(0).id(), 100, "/b");
        assertFalse(elsewhere.gap(), "trimming /a leaves /b whole");
        assertEquals(ids(other), ids(elsewhere.events()));
    }

    @Test
    void idNewerThanTheHeadIsAGapWithEverythingRetained() {
        Broker broker = broker(ROOMY);
        Event a = publish(broker, "1", "/a");
        Event b = publish(broker, "2", "/a");
        EventId future = new EventId(b.id().epoch(), b.id().millis() + 60_000, b.id().seq() + 1);

        Replay replay = replay(broker, future, 100, "/a");
        assertTrue(replay.gap());
        assertEquals(ids(a, b), ids(replay.events()));
        assertEquals(a.id(), replay.oldestRetained());
    }

    @Test
    void idOfAnotherEpochIsAGapWithEverythingRetained() {
        Broker broker = broker(ROOMY);
        Event a = publish(broker, "1", "/a");
        Event b = publish(broker, "2", "/a");
        String otherEpoch = a.id().epoch().equals("zzzzzz") ? "yyyyyy" : "zzzzzz";
        EventId foreign = new EventId(otherEpoch, a.id().millis(), a.id().seq());

        Replay replay = replay(broker, foreign, 100, "/a");
        assertTrue(replay.gap());
        assertEquals(ids(a, b), ids(replay.events()));
    }

    @Test
    void idOnAnEmptyHistoryIsAGap() {
        Broker broker = broker(ROOMY);
        Replay replay = replay(broker, new EventId("abc", 1, 1), 100, "/");
        assertTrue(replay.gap());
        assertEquals(List.of(), replay.events());
    }

    @Test
    void idOlderThanTheAgeBoundIsAGap() {
        Duration maxAge = Duration.ofMillis(1500);
        Broker broker = broker(new HistoryPolicy(100, maxAge));
        Event a = publish(broker, "1", "/a");
        Event b = publish(broker, "2", "/a");
        Replay fresh = replay(broker, a.id(), 100, "/a");
        assertFalse(fresh.gap());
        assertEquals(ids(b), ids(fresh.events()));

        Await.until(maxAge.multipliedBy(4), "the events to age out",
                () -> replay(broker, null, 100, "/a").events().isEmpty());
        assertNull(replay(broker, null, 100, "/a").oldestRetained());
        Replay old = replay(broker, a.id(), 100, "/a");
        assertTrue(old.gap());
        assertEquals(List.of(), old.events());
    }

    @Test
    void limitKeepsTheNewestEventsAndSaysThereIsAGap() {
        Broker broker = broker(ROOMY);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(publish(broker, "e" + i, i % 2 == 0 ? "/a" : "/b", "/c"));
        }
        Replay limited = replay(broker, events.get(0).id(), 3, "/");
        assertTrue(limited.gap());
        assertEquals(ids(events.subList(7, 10)), ids(limited.events()));
        assertEquals(events.get(0).id(), limited.oldestRetained());

        Replay exact = replay(broker, events.get(6).id(), 3, "/");
        assertFalse(exact.gap(), "exactly the limit left is no gap");
        assertEquals(ids(events.subList(7, 10)), ids(exact.events()));
    }

    @Test
    void replayAcrossManyNamespacesMergesTheNewestWithinTheLimit() {
        Broker broker = broker(ROOMY);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            // Interleaved over 20 namespaces, some events in two of them.
            String ns = "/many/" + (i * 7 % 20);
            events.add(i % 5 == 0 ? publish(broker, "e" + i, ns, "/many/x") : publish(broker, "e" + i, ns));
        }
        Replay newest = replay(broker, null, 25, "/many");
        assertTrue(newest.gap(), "more retained than the limit");
        assertEquals(ids(events.subList(35, 60)), ids(newest.events()));
        assertEquals(events.get(0).id(), newest.oldestRetained());

        Replay after = replay(broker, events.get(40).id(), 25, "/many");
        assertFalse(after.gap());
        assertEquals(ids(events.subList(41, 60)), ids(after.events()));

        // e55 is in /many/5 and /many/x, e50 in /many/10 and /many/x: each once, the newest two.
        Replay twoStreams = replay(broker, null, 2, "/many/5", "/many/x");
        assertEquals(ids(events.get(50), events.get(55)), ids(twoStreams.events()));
    }

    @Test
    void replaySinceReturnsWhatWasPublishedAtOrAfterTheTime() {
        Broker broker = broker(ROOMY);
        Event a = publish(broker, "a", "/t");
        Event b = publish(broker, "b", "/t/x");
        Event c = publish(broker, "c", "/other");
        Event d = publish(broker, "d", "/t");

        Replay fromB = await(broker.replaySince(namespaces("/t"), b.id().millis(), 100));
        assertFalse(fromB.gap());
        List<EventId> expected = new ArrayList<>(ids(b, d));
        if (a.id().millis() == b.id().millis()) {
            expected.add(0, a.id());
        }
        assertEquals(expected, ids(fromB.events()));
        assertEquals(a.id(), fromB.oldestRetained());

        Replay future = await(broker.replaySince(namespaces("/t"), d.id().millis() + 60_000, 100));
        assertFalse(future.gap());
        assertEquals(List.of(), future.events());

        Replay limited = await(broker.replaySince(namespaces("/"), a.id().millis(), 2));
        assertTrue(limited.gap(), "more than the limit since then");
        assertEquals(ids(c, d), ids(limited.events()));
    }

    @Test
    void replaySinceOlderThanTheRetainedHistoryIsAGap() {
        Broker broker = broker(new HistoryPolicy(2, Duration.ofHours(1)));
        Event first = publish(broker, "0", "/t");
        publish(broker, "1", "/t");
        Event b = publish(broker, "2", "/t");
        Event c = publish(broker, "3", "/t");

        Replay beforeTrimmed = await(broker.replaySince(namespaces("/t"), first.id().millis(), 100));
        assertTrue(beforeTrimmed.gap(), "an event at or after the time was trimmed");
        assertEquals(ids(b, c), ids(beforeTrimmed.events()));

        Replay beforeTheAgeBound = await(broker.replaySince(namespaces("/t"), c.id().millis() - Duration.ofHours(2).toMillis(), 100));
        assertTrue(beforeTheAgeBound.gap(), "older than the age bound");
        assertEquals(ids(b, c), ids(beforeTheAgeBound.events()));
    }

    @Test
    void closedBrokerRefusesPublishesAndIsNotHealthy() {
        Broker broker = broker(ROOMY);
        broker.close();
        assertFalse(broker.isHealthy());
        CompletableFuture<Event> refused = broker.publish(EventDraft.of(Namespace.ROOT, null, "x"));
        assertThrows(ExecutionException.class, () -> refused.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    }
}
