package io.ssegateway.ingress;

import io.ssegateway.testing.JsonTree;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.ssegateway.core.Broker;
import io.ssegateway.core.BrokerListener;
import io.ssegateway.core.Event;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.EventId;
import io.ssegateway.core.HistoryPolicy;
import io.ssegateway.core.LocalBroker;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.Publisher;
import io.ssegateway.core.Replay;
import io.ssegateway.egress.Drain;
import io.ssegateway.status.Status;
import io.ssegateway.status.StatusService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The control port's pipeline, fed raw bytes through an {@link EmbeddedChannel}: no socket. */
class ControlPortHandlerTest {
    private static final int MAX_PAYLOAD = 64;
    private static final int MAX_LINE = MAX_PAYLOAD + 1024;

    private final List<String> drained = new ArrayList<>();
    private Status status = status("i-1", "local", Map.of());
    private EmbeddedChannel channel;
    private int repliesFlushedBeforeDrain = -1;

    private final Drain drain = new Drain() {
        @Override
        public void begin(String reason) {
            repliesFlushedBeforeDrain = channel.outboundMessages().size();
            drained.add(reason);
        }

        @Override
        public boolean isDraining() {
            return !drained.isEmpty();
        }
    };

    private EmbeddedChannel open(Broker broker) {
        StatusService statusService = () -> {
            if (status == null) {
                throw new IllegalStateException("cluster registry unreachable");
            }
            return status;
        };
        LineCommandRunner runner = new LineCommandRunner(new Publisher(broker, MAX_PAYLOAD),
                () -> statusService, () -> drain, JsonTree.MAPPER);
        channel = new EmbeddedChannel();
        ControlPortServer.configure(channel.pipeline(), runner);
        return channel;
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void everyLineIsAnsweredInOrderAndBadLinesDoNotCloseTheConnection() {
        LocalBroker broker = new LocalBroker(new HistoryPolicy(100, Duration.ofHours(1)), Clock.systemUTC());
        open(broker);

        send("/pets/cats new-cat = Persian\n"
                + "hello\n"
                + "\n"
                + "# a comment\n"
                + "color/q1 = go\r\n"
                + "/pets/.. = x\n"
                + "/pets = " + "x".repeat(MAX_PAYLOAD + 1) + "\n"
                + "/ = last\n");

        List<Event> published = broker.replay(List.of(Namespace.ROOT), null, 100).join().events();
        assertEquals(3, published.size());
        assertEquals(List.of(
                "OK " + published.get(0).id(),
                "ERR INVALID_COMMAND expected '<namespace> [event] = <data>', 'status' or 'halt'",
                "OK " + published.get(1).id(),
                "ERR INVALID_NAMESPACE namespace segment '..' is not allowed",
                "ERR PAYLOAD_TOO_LARGE data is larger than 64 bytes",
                "OK " + published.get(2).id()), replies());
        assertEquals("new-cat", published.get(0).type());
        assertEquals(Namespace.parse("/color"), published.get(1).namespaces().get(0));
        assertEquals("q1", published.get(1).type());
        assertTrue(channel.isOpen());
    }

    @Test
    void slowPublishesAreAnsweredInLineOrderAndStartOneAfterAnother() {
        ManualBroker broker = new ManualBroker();
        open(broker);

        send("/a = first\n/b = second\n/c = third\nstatus\n");
        assertEquals(1, broker.pending.size(), "the second line waits for the first publish");
        assertFalse(channel.config().isAutoRead(), "no more reading while lines wait");
        assertEquals(List.of(), replies());

        broker.complete();
        channel.runPendingTasks();
        assertEquals(List.of("OK " + broker.ids.get(0)), replies());

        broker.fail();
        channel.runPendingTasks();
        // A failure the broker did not classify may have run: not "nothing was published".
        assertEquals(List.of("ERR PUBLISH_OUTCOME_UNKNOWN the broker failed; the event may have been published"), replies());

        broker.complete();
        channel.runPendingTasks();
        List<String> rest = replies();
        assertEquals("OK " + broker.ids.get(1), rest.get(0));
        assertTrue(rest.get(1).startsWith("{"));
        assertEquals(List.of("first", "second", "third"), broker.data);
        assertTrue(channel.config().isAutoRead(), "reading resumes once every line is answered");
    }

    @Test
    void aBrokerThatThrowsInsteadOfFailingItsFutureIsAnErrorNotAClosedConnection() {
        ManualBroker broker = new ManualBroker();
        broker.throwing = true;
        open(broker);

        send("/a = 1\n/b = 2\n");
        assertEquals(List.of("ERR BROKER_UNAVAILABLE broker did not accept the event",
                "ERR BROKER_UNAVAILABLE broker did not accept the event"), replies());
        assertTrue(channel.isOpen());
    }

    @Test
    void tooLongLineIsRefusedAndTheNextLineStillWorks() {
        open(new LocalBroker(new HistoryPolicy(100, Duration.ofHours(1)), Clock.systemUTC()));

        send("/a = " + "x".repeat(MAX_LINE) + "\n/b = fits\n");
        List<String> replies = replies();
        assertEquals("ERR PAYLOAD_TOO_LARGE line is longer than " + MAX_LINE + " bytes", replies.get(0));
        assertTrue(replies.get(1).startsWith("OK "));

        // The same when the line arrives in pieces, as over a real socket.
        send("/c = " + "y".repeat(MAX_LINE / 2));
        send("y".repeat(MAX_LINE));
        send("y".repeat(10) + "\n/d = after\n");
        replies = replies();
        assertEquals(2, replies.size());
        assertEquals("ERR PAYLOAD_TOO_LARGE line is longer than " + MAX_LINE + " bytes", replies.get(0));
        assertTrue(replies.get(1).startsWith("OK "));
        assertTrue(channel.isOpen());
    }

    @Test
    void statusIsOneLineOfJson() throws Exception {
        status = status("i-1", "two\nlines", Map.of("127.0.0.1:5000",
                new Status.Client("127.0.0.1:5000", "2026-12-03T08:00:00Z", null, "/subscribe/a", List.of("/a"))));
        open(new ManualBroker());

        send("status\r\n");
        List<String> replies = replies();
        assertEquals(1, replies.size());
        JsonTree json = JsonTree.parse(replies.get(0));
        assertEquals("i-1", json.get("instance").asText());
        assertEquals("two\nlines", json.get("broker").asText());
        assertEquals("/a", json.get("clients").get("127.0.0.1:5000").get("namespaces").get(0).asText());
    }

    @Test
    void statusThatCannotBeTakenIsAnError() {
        status = null;
        open(new ManualBroker());

        send("status\n");
        assertEquals(List.of("ERR BROKER_UNAVAILABLE status is not available"), replies());
    }

    @Test
    void haltIsAnsweredBeforeTheDrainBegins() {
        open(new ManualBroker());

        send("  halt \r\n");
        assertEquals(List.of("halt"), drained);
        assertEquals(1, repliesFlushedBeforeDrain);
        assertEquals(List.of("OK halting"), replies());
    }

    @Test
    void afterTheClientShutsItsSideTheLinesAlreadySentAreStillAnsweredThenItCloses() {
        ManualBroker broker = new ManualBroker();
        open(broker);

        send("/a = 1\n/b = 2\n");
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertTrue(channel.isOpen());

        broker.complete();
        channel.runPendingTasks();
        broker.complete();
        channel.runPendingTasks();
        assertEquals(List.of("OK " + broker.ids.get(0), "OK " + broker.ids.get(1)), replies());
        assertFalse(channel.isOpen());
    }

    private void send(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    /** The reply lines written since the last call. */
    private List<String> replies() {
        StringBuilder text = new StringBuilder();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) o;
            text.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        if (text.length() == 0) {
            return List.of();
        }
        assertTrue(text.toString().endsWith("\n"), "every reply is a whole line");
        return List.of(text.substring(0, text.length() - 1).split("\n", -1));
    }

    /** A broker whose publishes complete when the test says so. */
    private static final class ManualBroker implements Broker {
        final ArrayDeque<CompletableFuture<Event>> pending = new ArrayDeque<>();
        final ArrayDeque<EventDraft> drafts = new ArrayDeque<>();
        final List<String> data = new ArrayList<>();
        final List<EventId> ids = new ArrayList<>();
        private long seq;
        boolean throwing;

        @Override
        public CompletableFuture<Event> publish(EventDraft draft) {
            if (throwing) {
                throw new IllegalStateException("connection pool exhausted");
            }
            CompletableFuture<Event> f = new CompletableFuture<>();
            pending.add(f);
            drafts.add(draft);
            data.add(draft.data());
            return f;
        }

        @Override
        public CompletableFuture<io.ssegateway.core.KeyedResult> publish(EventDraft draft, io.ssegateway.core.KeyedStep step) {
            throw new UnsupportedOperationException("lines carry no Idempotency-Key");
        }

        void complete() {
            EventId id = new EventId("test", 1, ++seq);
            ids.add(id);
            // Completes on another thread, as a real broker does.
            CompletableFuture<Event> f = pending.poll();
            Event event = new Event(id, drafts.poll());
            CompletableFuture.runAsync(() -> f.complete(event)).join();
        }

        void fail() {
            drafts.poll();
            pending.poll().completeExceptionally(new IllegalStateException("connection reset"));
        }

        @Override
        public CompletableFuture<Replay> replay(List<Namespace> topics, EventId after, int limit) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }

        @Override
        public CompletableFuture<Replay> replaySince(List<Namespace> topics, long sinceMillis, int limit) {
            return replay(topics, null, limit);
        }

        @Override
        public CompletableFuture<EventId> head() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void listen(BrokerListener listener) {
        }

        @Override
        public boolean isHealthy() {
            return true;
        }

        @Override
        public String kind() {
            return "manual";
        }

        @Override
        public void close() {
        }
    }

    private static Status status(String instance, String broker, Map<String, Status.Client> clients) {
        return new Status(instance, broker, true, false, "2026-12-03T08:00:00Z", 12, 1, clients.size(), clients,
                Map.of(), Map.of(), 0, 0, 0, 12_000, new Status.Cluster(List.of(), 0, 0));
    }
}
