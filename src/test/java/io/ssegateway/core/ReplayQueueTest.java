package io.ssegateway.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sharing rules of {@link ReplayQueue}, against a reader the test answers by hand. */
class ReplayQueueTest {
    private static final Namespace NS = Namespace.parse("/q");
    private static final ReplayQueue.Key FROM_START = new ReplayQueue.Key(List.of(NS), null, -1, 5);

    /** Reads as they are asked for; the test completes them. */
    private static final class Reader {
        final List<ReplayQueue.Key> asked = new ArrayList<>();
        final List<CompletableFuture<Replay>> answers = new ArrayList<>();

        synchronized CompletableFuture<Replay> read(ReplayQueue.Key key) {
            CompletableFuture<Replay> answer = new CompletableFuture<>();
            asked.add(key);
            answers.add(answer);
            return answer;
        }

        synchronized int count() {
            return asked.size();
        }

        synchronized void answer(int read, Replay replay) {
            answers.get(read).complete(replay);
        }

        synchronized ReplayQueue.Key key(int read) {
            return asked.get(read);
        }
    }

    private static Event event(long seq) {
        return new Event(new EventId("e", 1000, seq), EventDraft.of(NS, "message", "d" + seq));
    }

    private static Replay events(long from, long to) {
        List<Event> list = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            list.add(event(s));
        }
        return new Replay(list, false, list.isEmpty() ? null : list.get(0).id());
    }

    private static List<Long> seqs(CompletableFuture<Replay> replay) throws Exception {
        return replay.get(5, TimeUnit.SECONDS).events().stream().map(e -> e.id().seq()).toList();
    }

    @Test
    void requestsArrivingWhileAReadRunsShareItAndOneTopUpBetweenThem() throws Exception {
        Reader reader = new Reader();
        ReplayQueue queue = new ReplayQueue(1, 100, reader::read);
        CompletableFuture<Replay> first = queue.submit(FROM_START);
        List<CompletableFuture<Replay>> later = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            later.add(queue.submit(FROM_START));
        }
        assertEquals(1, reader.count(), "one read sent; the later requests wait on it, none queued behind it");

        reader.answer(0, events(1, 3));
        assertEquals(List.of(1L, 2L, 3L), seqs(first));
        assertEquals(2, reader.count(), "the requests that came after the read was sent top it up, once");
        assertEquals(new EventId("e", 1000, 3), reader.key(1).after(), "the top-up reads after the shared read's newest");
        for (CompletableFuture<Replay> r : later) {
            assertFalse(r.isDone(), "not answered from a read that may have looked before them");
        }

        reader.answer(1, events(4, 4));
        for (CompletableFuture<Replay> r : later) {
            assertEquals(List.of(1L, 2L, 3L, 4L), seqs(r));
        }
        assertEquals(20, queue.shared());
        assertEquals(19, queue.joined(), "the top-up of the first is shared by the other 19");
    }

    /** What a request that came while a read ran gets, the read answering {@code shared}, its top-up {@code newer}. */
    private static CompletableFuture<Replay> lateRequest(Replay shared, Replay newer) {
        Reader reader = new Reader();
        ReplayQueue queue = new ReplayQueue(1, 100, reader::read);
        queue.submit(FROM_START);
        CompletableFuture<Replay> late = queue.submit(FROM_START);
        reader.answer(0, shared);
        reader.answer(1, newer);
        return late;
    }

    @Test
    void aTopUpPastTheLimitKeepsTheNewestAndSaysGap() throws Exception {
        CompletableFuture<Replay> late = lateRequest(events(1, 4), events(5, 7));
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L), seqs(late));
        assertTrue(late.get().gap(), "two of the shared read's events are past the limit of 5");
    }

    @Test
    void aTopUpThatFindsAGapIsTheAnswer() throws Exception {
        // Trimmed past the shared read's newest in between: the events after it are not all there.
        CompletableFuture<Replay> late = lateRequest(events(1, 3), new Replay(List.of(event(9)), true, event(9).id()));
        assertEquals(List.of(9L), seqs(late));
        assertTrue(late.get().gap());
    }

    @Test
    void aRequestForAReadThatHasNotStartedJoinsItWithoutATopUp() throws Exception {
        Reader reader = new Reader();
        ReplayQueue queue = new ReplayQueue(1, 100, reader::read);
        ReplayQueue.Key other = new ReplayQueue.Key(List.of(NS), new EventId("e", 1000, 1), -1, 5);
        queue.submit(other);
        CompletableFuture<Replay> a = queue.submit(FROM_START);
        CompletableFuture<Replay> b = queue.submit(FROM_START);
        reader.answer(0, events(2, 2));
        assertEquals(2, reader.count(), "the waiting read starts once the other is done");

        reader.answer(1, events(1, 2));
        assertEquals(List.of(1L, 2L), seqs(a));
        assertEquals(List.of(1L, 2L), seqs(b));
        assertEquals(2, reader.count(), "sent after both asked: nothing to top up");
        assertEquals(0, queue.shared());
    }

    @Test
    void aRequestAfterAReadEndedReadsAgain() throws Exception {
        Reader reader = new Reader();
        ReplayQueue queue = new ReplayQueue(1, 100, reader::read);
        queue.submit(FROM_START);
        reader.answer(0, events(1, 1));
        CompletableFuture<Replay> again = queue.submit(FROM_START);
        assertEquals(2, reader.count(), "a finished read is not a cache");
        assertEquals(FROM_START, reader.key(1));
        reader.answer(1, events(1, 2));
        assertEquals(List.of(1L, 2L), seqs(again));
    }

    @Test
    void aFailedSharedReadFailsEveryRequestOnIt() {
        Reader reader = new Reader();
        ReplayQueue queue = new ReplayQueue(1, 100, reader::read);
        CompletableFuture<Replay> first = queue.submit(FROM_START);
        CompletableFuture<Replay> late = queue.submit(FROM_START);
        reader.answers.get(0).completeExceptionally(new GatewayException(Reason.BROKER_UNAVAILABLE, "timed out"));
        assertTrue(first.isCompletedExceptionally());
        assertTrue(late.isCompletedExceptionally());
        assertEquals(1, reader.count(), "no top-up of a read that failed");
    }
}
