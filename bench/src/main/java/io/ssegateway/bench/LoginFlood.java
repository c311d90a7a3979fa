package io.ssegateway.bench;

import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The login flood: while N clients post wrong passwords to {@code /login} as fast as they are
 * answered, how late do stream events arrive and how long does the liveness probe take? One
 * subscriber on {@code /subscribe/login-flood}, an event every 50 ms carrying its send time, a
 * liveness probe every 100 ms (a probe that takes longer than 3 s counts as 3 s, the chart's
 * timeout). A quiet phase first, then the flood; one {@code key=value} line per phase.
 *
 * <pre>java -cp sse-bench.jar io.ssegateway.bench.LoginFlood PORT LOGINS SECONDS</pre>
 * with {@code JWT_SECRET} set to the gateway's secret. Loopback only.
 */
public final class LoginFlood {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    private static final long PUBLISH_EVERY_MS = 50;
    private static final long PROBE_EVERY_MS = 100;
    private static final int QUIET_SECONDS = 5;

    private final String base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();
    private volatile Histogram sse = histogram();
    private volatile Histogram liveness = histogram();

    private LoginFlood(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: LoginFlood PORT LOGINS SECONDS (JWT_SECRET set)");
            System.exit(2);
        }
        String secret = System.getenv("JWT_SECRET");
        new LoginFlood(Integer.parseInt(args[0]), Jwt.hs256(secret, 3600))
                .run(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    }

    private static Histogram histogram() {
        return new Histogram(PROBE_TIMEOUT.toNanos(), 3);
    }

    private void run(int logins, int seconds) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        subscribe();
        Thread publisher = loop("publisher", running, PUBLISH_EVERY_MS, this::publish);
        Thread prober = loop("prober", running, PROBE_EVERY_MS, this::probe);
        Thread.sleep(QUIET_SECONDS * 1000L);
        report("quiet", 0, Map.of());
        Map<Integer, LongAdder> answers = new ConcurrentHashMap<>();
        AtomicBoolean flooding = new AtomicBoolean(true);
        Thread[] flood = new Thread[logins];
        for (int i = 0; i < logins; i++) {
            flood[i] = loop("login-" + i, flooding, 0, () -> login(answers));
        }
        Thread.sleep(seconds * 1000L);
        flooding.set(false);
        report("flood", logins, answers);
        running.set(false);
        for (Thread t : flood) {
            t.join(PROBE_TIMEOUT.toMillis() * 2);
        }
        publisher.join();
        prober.join();
        System.exit(0);
    }

    private void report(String phase, int logins, Map<Integer, LongAdder> answers) {
        Histogram s = sse;
        Histogram l = liveness;
        sse = histogram();
        liveness = histogram();
        StringBuilder line = new StringBuilder("phase=" + phase + " logins=" + logins
                + " sse_events=" + s.getTotalCount() + " sse_p50_ms=" + ms(s.getValueAtPercentile(50))
                + " sse_p99_ms=" + ms(s.getValueAtPercentile(99)) + " sse_max_ms=" + ms(s.getMaxValue())
                + " live_probes=" + l.getTotalCount() + " live_p50_ms=" + ms(l.getValueAtPercentile(50))
                + " live_p99_ms=" + ms(l.getValueAtPercentile(99)) + " live_max_ms=" + ms(l.getMaxValue()));
        answers.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> line.append(" login_").append(e.getKey()).append('=').append(e.getValue().sum()));
        System.out.println(line);
    }

    private static String ms(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
    }

    private void subscribe() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/subscribe/login-flood")).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(response ->
                response.body().filter(l -> l.startsWith("data:")).forEach(l -> {
                    long sent = Long.parseLong(l.substring(5).trim());
                    sse.recordValue(Math.min(System.nanoTime() - sent, PROBE_TIMEOUT.toNanos()));
                }));
    }

    private void publish() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/publish/login-flood"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(Long.toString(System.nanoTime())))
                .timeout(PROBE_TIMEOUT).build();
        http.send(request, HttpResponse.BodyHandlers.discarding());
    }

    private void probe() {
        long start = System.nanoTime();
        try {
            http.send(HttpRequest.newBuilder(URI.create(base + "/health/liveness")).timeout(PROBE_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (Exception e) {
            // A probe that timed out counts as the timeout, as the kubelet sees it.
        }
        liveness.recordValue(Math.min(System.nanoTime() - start, PROBE_TIMEOUT.toNanos()));
    }

    private void login(Map<Integer, LongAdder> answers) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"flood\",\"password\":\"wrong\"}"))
                .timeout(Duration.ofSeconds(10)).build();
        int status;
        try {
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            status = 0;
        }
        answers.computeIfAbsent(status, k -> new LongAdder()).increment();
    }

    private interface Step {
        void run() throws Exception;
    }

    private static Thread loop(String name, AtomicBoolean running, long everyMs, Step step) {
        Thread t = new Thread(() -> {
            long next = System.nanoTime();
            while (running.get()) {
                try {
                    step.run();
                } catch (Exception e) {
                    // Counted by what the step records; the loop goes on.
                }
                if (everyMs > 0) {
                    next += everyMs * 1_000_000;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        try {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
