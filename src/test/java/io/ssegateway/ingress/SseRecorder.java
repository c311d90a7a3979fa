package io.ssegateway.ingress;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** A real SSE client (okhttp-sse) that records what it receives and waits with a timeout. */
final class SseRecorder implements AutoCloseable {
    record Received(String id, String type, String data) {
    }

    private static final OkHttpClient CLIENT = new OkHttpClient.Builder()
            .readTimeout(0, TimeUnit.SECONDS)
            .build();

    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private EventSource source;

    static SseRecorder open(String url) {
        SseRecorder r = new SseRecorder();
        r.source = EventSources.createFactory(CLIENT).newEventSource(new Request.Builder().url(url).build(),
                new EventSourceListener() {
                    @Override
                    public void onEvent(EventSource s, String id, String type, String data) {
                        r.received.add(new Received(id, type == null ? "message" : type, data));
                    }

                    @Override
                    public void onFailure(EventSource s, Throwable t, Response response) {
                        r.received.add("failed: " + (t != null ? t : response));
                    }
                });
        return r;
    }

    Received next() throws InterruptedException {
        Object o = received.poll(TestGateway.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (o instanceof Received r) {
            return r;
        }
        return fail(o == null ? "no event within " + TestGateway.WAIT : o.toString());
    }

    @Override
    public void close() {
        source.cancel();
    }
}
