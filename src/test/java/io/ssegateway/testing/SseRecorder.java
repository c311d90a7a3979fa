package io.ssegateway.testing;

import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An SSE client built on OkHttp's okhttp-sse (code we did not write, so the wire format is
 * checked independently) that records what arrives and waits for it with a timeout.
 */
public final class SseRecorder implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(10);

    /** One received event as okhttp-sse parsed it; {@code type} is null for {@code message}. */
    public record Received(String id, String type, String data) {
        public String typeOrMessage() {
            return type == null ? "message" : type;
        }
    }

    private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
    private final CompletableFuture<Response> opened = new CompletableFuture<>();
    private final CompletableFuture<Object> ended = new CompletableFuture<>();
    private volatile long endedAtNanos;
    private final EventSource source;

    private SseRecorder(Request request) {
        source = EventSources.createFactory(Http.CLIENT).newEventSource(request, new EventSourceListener() {
            @Override
            public void onOpen(EventSource es, Response response) {
                opened.complete(response);
            }

            @Override
            public void onEvent(EventSource es, String id, String type, String data) {
                items.add(new Received(id, type, data));
            }

            @Override
            public void onClosed(EventSource es) {
                endedAtNanos = System.nanoTime();
                ended.complete("closed");
            }

            @Override
            public void onFailure(EventSource es, Throwable t, Response response) {
                opened.complete(response);
                endedAtNanos = System.nanoTime();
                ended.complete(t != null ? t : "failed " + (response == null ? "" : response.code()));
            }
        });
    }

    public static SseRecorder open(String url) {
        return open(new Request.Builder().url(url).build());
    }

    public static SseRecorder open(String url, String lastEventId) {
        Request.Builder b = new Request.Builder().url(url);
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        return open(b.build());
    }

    public static SseRecorder open(Request request) {
        return new SseRecorder(request);
    }

    /** Waits until the response headers arrived and returns them (null on connection failure). */
    public Response awaitOpen() {
        try {
            return opened.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("stream did not open within " + WAIT, e);
        }
    }

    public Received next() {
        try {
            Object item = items.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (item == null) {
                fail("no event within " + WAIT);
            }
            return (Received) item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The data of the next {@code n} events. */
    public List<String> nextData(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(next().data());
        }
        return out;
    }

    /** The next {@code n} events; a timeout says how many came and what the last ones were. */
    public List<Received> next(int n) {
        List<Received> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            try {
                out.add(next());
            } catch (AssertionError e) {
                List<Received> last = out.subList(Math.max(0, out.size() - 5), out.size());
                throw new AssertionError(e.getMessage() + " after " + out.size() + " of " + n + "; the last ones: " + last, e);
            }
        }
        return out;
    }

    /** Asserts that nothing arrives within {@code quiet}. */
    public void assertNoMore(Duration quiet) {
        try {
            Object item = items.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
            assertNull(item, "unexpected event");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the server ends the stream. */
    public Object awaitEnd() {
        try {
            return ended.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("stream did not end within " + WAIT, e);
        }
    }

    /** When the stream ended ({@link System#nanoTime()}), after {@link #awaitEnd()} returned. */
    public long endedAtNanos() {
        return endedAtNanos;
    }

    /** Waits until the server ends the stream and returns the events not yet taken. */
    public List<Received> eventsUntilEnd() {
        awaitEnd();
        List<Object> rest = new ArrayList<>();
        items.drainTo(rest);
        return rest.stream().map(Received.class::cast).toList();
    }

    /** True once the stream ended, by the server or by a failure. */
    public boolean hasEnded() {
        return ended.isDone();
    }

    public void assertEvent(String id, String type, String data) {
        Received r = next();
        assertNotNull(r);
        assertEquals(new Received(id, type, data), r);
    }

    @Override
    public void close() {
        source.cancel();
    }
}
