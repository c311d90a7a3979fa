package io.ssegateway.testing;

import io.ssegateway.testing.SseRecorder.Received;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A subscriber that behaves as a browser's EventSource does: when its stream ends, for whatever
 * reason, it opens it again with {@code Last-Event-ID} set to the last id it received. It keeps
 * every event it got, in order, across all its connections.
 */
public final class ResumingSubscriber implements AutoCloseable {
    /** A browser waits the stream's retry: time; shorter here, so a test does not idle, but not a busy loop. */
    private static final Duration RETRY_DELAY = Duration.ofMillis(100);
    private static final ScheduledExecutorService RETRY = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "resuming-subscriber");
        t.setDaemon(true);
        return t;
    });

    /**
     * Each subscriber stands for a browser of its own, so its streams do not queue behind other
     * streams of the JVM. OkHttp's shared dispatcher runs at most five calls per host at once
     * (every gateway of the tests is 127.0.0.1, whatever its port) and holds a sixth until one of
     * those ends, which a live stream does not: a resume would wait without ever reaching the
     * gateway. One test alone has five (four readers and a resumed one), and a reader's new call
     * can start while its old one is still ending.
     */
    private static final OkHttpClient CLIENT = Http.CLIENT.newBuilder().dispatcher(unbounded()).build();

    private final String url;
    private final List<Received> events = new ArrayList<>();
    private EventSource source;
    private String lastId;
    private int reconnects;
    private int opens;
    private boolean closed;

    public ResumingSubscriber(String url) {
        this(url, null);
    }

    /** One that resumes at once after {@code lastEventId}, as a client that was cut before. */
    public ResumingSubscriber(String url, String lastEventId) {
        this.url = url;
        this.lastId = lastEventId;
        open();
    }

    private static Dispatcher unbounded() {
        Dispatcher d = new Dispatcher();
        d.setMaxRequests(Integer.MAX_VALUE);
        d.setMaxRequestsPerHost(Integer.MAX_VALUE);
        return d;
    }

    private synchronized void open() {
        if (closed) {
            return;
        }
        Request.Builder b = new Request.Builder().url(url);
        if (lastId != null) {
            b.header("Last-Event-ID", lastId);
        }
        source = EventSources.createFactory(CLIENT).newEventSource(b.build(), new EventSourceListener() {
            @Override
            public void onOpen(EventSource es, Response response) {
                if (response.code() == 200) {
                    opened();
                }
            }

            @Override
            public void onEvent(EventSource es, String id, String type, String data) {
                received(new Received(id, type, data));
            }

            @Override
            public void onClosed(EventSource es) {
                reopen();
            }

            @Override
            public void onFailure(EventSource es, Throwable t, Response response) {
                reopen();
            }
        });
    }

    private synchronized void opened() {
        opens++;
    }

    /** Waits until a stream of this subscriber was open (so registered for live events). */
    public void awaitOpen(Duration timeout) {
        Await.until(timeout, "a stream open at " + url, () -> {
            synchronized (this) {
                return opens > 0;
            }
        });
    }

    private synchronized void received(Received event) {
        events.add(event);
        if (event.id() != null && !event.id().isEmpty()) {
            lastId = event.id();
        }
        notifyAll();
    }

    private void reopen() {
        synchronized (this) {
            reconnects++;
        }
        RETRY.schedule(this::open, RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until an event with this data arrived. */
    public void awaitData(String data, Duration timeout) {
        Await.until(timeout, "event " + data + " at " + url, () -> events().stream().anyMatch(e -> data.equals(e.data())));
    }

    public synchronized List<Received> events() {
        return List.copyOf(events);
    }

    public synchronized int reconnects() {
        return reconnects;
    }

    @Override
    public synchronized void close() {
        closed = true;
        source.cancel();
    }
}
