package io.ssegateway.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A subscriber whose write fails never costs another subscriber of the same executor an event:
 * its own stream ends (so its client resumes) and the fan-out goes on to the others.
 */
class FanoutIsolationTest {
    private final LocalBroker broker = new LocalBroker(HistoryPolicy.DEFAULTS, Clock.systemUTC());
    private final Hub hub = new Hub(broker, Hub.Settings.DEFAULTS);
    private final RecordingSink first = new RecordingSink();
    private final RecordingSink last = new RecordingSink();

    @AfterEach
    void stop() {
        first.close();
        last.close();
    }

    @Test
    void anAllocationFailureForOneSubscriberSkipsNoOther() throws Exception {
        assertOthersGetEverything(new FailingSink(first.executor(),
                new OutOfMemoryError("Cannot reserve 8192 bytes of direct buffer memory")));
    }

    @Test
    void aSinkThatThrowsEndsItsOwnStreamOnly() throws Exception {
        assertOthersGetEverything(new FailingSink(first.executor(), new IllegalStateException("broken sink")));
    }

    private void assertOthersGetEverything(FailingSink failing) throws Exception {
        hub.start();
        // All three on one executor, so they share one fan-out and one walk of the index.
        subscribe(first, first.executor());
        subscribe(failing, first.executor());
        subscribe(new ForwardingSink(last, first.executor()), first.executor());

        publish("a");
        publish("b");
        assertEquals(List.of("a", "b"), first.nextData(2));
        assertEquals(List.of("a", "b"), last.nextData(2));
        first.assertNoMore();
        last.assertNoMore();
        first.onThread(() -> null);
        assertNotNull(failing.closedWith, "the failing subscriber's stream was ended");
        assertEquals(2, hub.subscriptionCount(), "the failing subscriber left the hub");
    }

    private void subscribe(Sink sink, Executor executor) throws Exception {
        first.onThread(() -> hub.subscribe(List.of(Namespace.parse("/pets")), Audience.ANONYMOUS, (String) null, sink));
    }

    private void publish(String data) {
        broker.publish(EventDraft.of(Namespace.parse("/pets"), "message", data)).join();
    }

    /** Fails every write, as a connection whose buffer cannot be allocated does. */
    private static final class FailingSink implements Sink {
        private final Executor executor;
        private final Error error;
        private final RuntimeException exception;
        volatile String closedWith;

        FailingSink(Executor executor, Throwable failure) {
            this.executor = executor;
            this.error = failure instanceof Error e ? e : null;
            this.exception = failure instanceof RuntimeException r ? r : null;
        }

        @Override
        public Executor executor() {
            return executor;
        }

        @Override
        public void send(Event event) {
            if (error != null) {
                throw error;
            }
            throw exception;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close(String reason) {
            closedWith = reason;
        }
    }

    /** Records into {@code target} but writes on {@code executor}. */
    private record ForwardingSink(RecordingSink target, Executor executor) implements Sink {
        @Override
        public void send(Event event) {
            target.send(event);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close(String reason) {
            target.close(reason);
        }
    }
}
