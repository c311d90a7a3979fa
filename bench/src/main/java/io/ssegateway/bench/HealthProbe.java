package io.ssegateway.bench;

import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks a health URL every interval for the whole run, as a platform's probe would, and records
 * how long each answer took: an instance that stops answering its probes under load is taken
 * out of rotation or restarted, whatever it still delivers.
 */
final class HealthProbe implements AutoCloseable {
    /** An answer slower than this is a failure, as a probe with a 2 s timeout would count it. */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    final Histogram answerMicros = new Histogram(1, 60_000_000L, 3);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI url;
    private final long intervalMillis;
    private final Thread thread;
    private volatile boolean running = true;
    private int failures;
    private int over100ms;

    HealthProbe(URI url, long intervalMillis) {
        this.url = url;
        this.intervalMillis = intervalMillis;
        this.thread = new Thread(this::run, "health-probe");
        thread.setDaemon(true);
    }

    HealthProbe start() {
        thread.start();
        return this;
    }

    private void run() {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build();
        while (running) {
            long t0 = System.nanoTime();
            try {
                HttpResponse<Void> r = client.send(request, HttpResponse.BodyHandlers.discarding());
                long us = Math.max(1, (System.nanoTime() - t0) / 1000);
                synchronized (this) {
                    answerMicros.recordValue(Math.min(us, answerMicros.getHighestTrackableValue()));
                    if (us > 100_000) {
                        over100ms++;
                    }
                    if (r.statusCode() != 200) {
                        failures++;
                    }
                }
            } catch (java.io.IOException e) {
                synchronized (this) {
                    failures++;
                }
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** {@code probe_*} keys for the result line. */
    synchronized String summary() {
        return "probes=" + answerMicros.getTotalCount()
                + " probe_failures=" + failures
                + " probe_over_100ms=" + over100ms
                + String.format(java.util.Locale.ROOT, " probe_p99_ms=%.2f probe_max_ms=%.2f",
                        answerMicros.getValueAtPercentile(99) / 1000.0, answerMicros.getMaxValue() / 1000.0);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(TIMEOUT.toMillis() + 1000);
    }
}
