package io.ssegateway.egress;

import io.ssegateway.status.GatewayMetrics;
import io.ssegateway.testing.Await;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.RawSse;
import io.ssegateway.testing.ResumingSubscriber;
import io.ssegateway.testing.SseRecorder.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The product rule under the outbound budget: a client that reads gets every accepted event, or
 * its stream ends and it resumes with {@code Last-Event-ID}. Here the budget is so small that
 * readers may be cut with the clients that never read, and one reader pauses through the burst,
 * so it is: each resumes as an EventSource does, and in the end every reader holds every event
 * once, in order (a {@code history-gap} would be the only excuse for a hole, and history here
 * holds them all).
 */
class BudgetCutResumeTest {
    /** Room for a replay slice or two per reader, and far less than the burst below. */
    private static final int BUDGET = 256 * 1024;
    private static final int STUCK = 8;
    private static final int READERS = 4;
    /** Copied into each connection's chunk (under StreamWriter.COPY_LIMIT), so each backlog costs memory. */
    private static final String PAYLOAD = "x".repeat(3000);
    /**
     * 900 KB for each client, published as fast as the hub takes it: past the budget by far for
     * the paused reader alone, under its own 1 MiB outbound bound.
     */
    private static final int EVENTS = 300;
    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = Gateway.start(Map.of("sse.outbound-budget", BUDGET, "sse.history.max-length", 2 * EVENTS));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void readersCutByTheBudgetResumeAndEndWithEveryEventOnce() throws Exception {
        Connections connections = gateway.bean(Connections.class);
        GatewayMetrics metrics = gateway.bean(GatewayMetrics.class);
        long slowBefore = metrics.slowDisconnects();
        List<RawSse> stuck = new ArrayList<>();
        List<ResumingSubscriber> readers = new ArrayList<>();
        ResumingSubscriber pausedResumed = null;
        try {
            for (int i = 0; i < READERS; i++) {
                ResumingSubscriber r = new ResumingSubscriber(gateway.url("/subscribe/resume"));
                r.awaitOpen(Await.TIMEOUT);
                readers.add(r);
            }
            for (int i = 0; i < STUCK; i++) {
                RawSse s = RawSse.withReceiveBuffer(4096, gateway.port(), "/subscribe/resume");
                s.readUntil("retry: 3000\n\n");
                stuck.add(s);
            }
            RawSse paused = RawSse.withReceiveBuffer(4096, gateway.port(), "/subscribe/resume");
            paused.readUntil("retry: 3000\n\n");
            stuck.add(paused);
            Await.until(() -> connections.count() == STUCK + READERS + 1);

            gateway.publish("/resume", "message", 0 + ":" + PAYLOAD);
            // Read whole, so it has an id to resume from whatever the reset drops.
            paused.readUntil(0 + ":" + PAYLOAD + "\n\n");
            // The readers too, for the same reason: an EventSource cut before its first event has no
            // id, reconnects without Last-Event-ID and starts live, so what was published before is
            // not its to get back. On a loaded machine a reader's first frames were still unread
            // in its socket when the reset dropped them: two of four resumed with no id and missed
            // every event. One event is far under the budget, so none is cut before it has it.
            for (ResumingSubscriber r : readers) {
                r.awaitData(0 + ":" + PAYLOAD, Await.TIMEOUT);
            }
            for (int i = 1; i < EVENTS; i++) {
                gateway.publish("/resume", "message", i + ":" + PAYLOAD);
            }
            String last = (EVENTS - 1) + ":" + PAYLOAD;

            // The paused reader reads again: what it had, up to the cut, then a resume after it.
            assertTrue(paused.readsToTheEnd(), "the paused reader was not cut");
            List<Received> pausedEvents = new ArrayList<>();
            for (var e : paused.events()) {
                pausedEvents.add(new Received(e.id(), e.type(), e.data()));
            }
            String resumeAfter = pausedEvents.get(pausedEvents.size() - 1).id();
            pausedResumed = new ResumingSubscriber(gateway.url("/subscribe/resume"), resumeAfter);
            pausedResumed.awaitData(last, CATCH_UP);
            pausedEvents.addAll(pausedResumed.events());
            assertEveryEventOnceInOrder("the paused reader", pausedEvents);

            for (ResumingSubscriber r : readers) {
                r.awaitData(last, CATCH_UP);
            }
            for (int i = 0; i < readers.size(); i++) {
                assertEveryEventOnceInOrder("reader " + i + " (" + readers.get(i).reconnects() + " resumes)",
                        readers.get(i).events());
            }
            assertTrue(metrics.slowDisconnects() - slowBefore > STUCK, "the stuck clients and the paused one were not all cut");
        } finally {
            readers.forEach(ResumingSubscriber::close);
            if (pausedResumed != null) {
                pausedResumed.close();
            }
            for (RawSse s : stuck) {
                s.close();
            }
        }
        Await.until(() -> connections.count() == 0);
    }

    /** Event {@code n} of the run carries {@code n:} before the payload; a gap may excuse a hole. */
    private static void assertEveryEventOnceInOrder(String who, List<Received> events) {
        int expected = 0;
        boolean gapSeen = false;
        for (Received e : events) {
            if ("history-gap".equals(e.type())) {
                gapSeen = true;
                continue;
            }
            int n = Integer.parseInt(e.data().substring(0, e.data().indexOf(':')));
            if (n != expected) {
                assertTrue(gapSeen && n > expected, who + " got event " + n + " where " + expected
                        + " was due, with no history-gap before it");
            }
            gapSeen = false;
            expected = n + 1;
        }
        assertEquals(EVENTS, expected, who + " did not end with the last event");
    }
}
