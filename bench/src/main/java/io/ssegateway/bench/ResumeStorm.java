package io.ssegateway.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mode {@code resume}: a large history ({@code --namespaces} x {@code --backlog} events), then
 * {@code --conns} clients resume at once with a malformed {@code Last-Event-ID} (the costliest
 * resume: a history gap and the newest page), spread over the instances of {@code --sub}. Meanwhile
 * every instance gets a publish every 50 ms (to a namespace beside the clients' topic) and a
 * readiness check every 100 ms, and Redis'
 * {@code used_memory} is read every 100 ms. Reports how many clients got their whole replay, the
 * publish answers and latency, readiness failures and Redis memory growth.
 */
final class ResumeStorm {
    private static final Duration TICK = Duration.ofMillis(50);

    private ResumeStorm() {
    }

    static String run(Options o) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<URI> bases = new ArrayList<>();
        for (String s : o.subscribeUrls) {
            URI u = URI.create(s);
            bases.add(URI.create("http://" + u.getHost() + ":" + u.getPort()));
        }
        String root = URI.create(o.subscribeUrls.get(0)).getPath().replaceFirst("^/subscribe", "");
        fill(http, bases.get(0), root, o);
        RedisClient redis = o.redisUri == null ? null : RedisClient.create(o.redisUri);
        StatefulRedisConnection<String, String> info = redis == null ? null : redis.connect();
        long memBefore = info == null ? 0 : usedMemory(info);
        long outBefore = info == null ? 0 : stat(info, "stats", "total_net_output_bytes");

        Histogram publishMicros = new Histogram(1, 120_000_000L, 3);
        AtomicLong created = new AtomicLong();
        AtomicLong notCreated = new AtomicLong();
        AtomicInteger notReady = new AtomicInteger();
        AtomicLong memMax = new AtomicLong(memBefore);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        // The clients count a connection as replayed once it has had the gap and every event of the page.
        int expected = (int) Math.min(o.replayLimit, (long) o.namespaces * o.backlog);
        SseClients storm = new SseClients(o, new Window());
        storm.catchUpSeq = -1;
        storm.replayTarget = expected;
        long start = System.nanoTime();
        long deadline = start + (long) (o.timeoutSeconds * 1e9);
        storm.open(o.conns, 0, 1, 0, "x");
        boolean all = false;
        int tick = 0;
        while (System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            for (URI base : bases) {
                pool.submit(() -> publishOnce(http, base, root, o.token, publishMicros, created, notCreated));
                if (tick % 2 == 0) {
                    pool.submit(() -> checkReady(http, base, notReady));
                }
            }
            if (info != null && tick % 2 == 0) {
                memMax.accumulateAndGet(usedMemory(info), Math::max);
            }
            tick++;
            if (!all && storm.replayedCount() == o.conns) {
                all = true;
                // A few more seconds of publishing after the storm, then stop.
                deadline = Math.min(deadline, System.nanoTime() + 2_000_000_000L);
            }
            Thread.sleep(Math.max(1, TICK.toMillis() - (System.nanoTime() - t0) / 1_000_000));
        }
        long allNanos = storm.lastReplayedNanos() - start;
        pool.shutdown();
        pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        LoopStats t = storm.totals();
        storm.close();
        // What Redis sent during the storm, all instances and commands together: with resumes
        // bounded by what they send it is a few replay pages, not a full history per client.
        long redisOut = info == null ? 0 : stat(info, "stats", "total_net_output_bytes") - outBefore;
        if (info != null) {
            info.close();
            redis.shutdown();
        }
        return kv("conns", o.conns) + kv("namespaces", o.namespaces) + kv("backlog", o.backlog)
                + kv("replay_events", expected)
                + kv("replayed", storm.replayedCount())
                + kv("all_replayed", all)
                + kv("all_replayed_s", all ? fmt(allNanos / 1e9) : "-")
                + kv("gaps", t.gaps) + kv("disconnects", t.disconnects) + kv("failed_opens", t.failedOpens)
                + kv("publish_201", created.get()) + kv("publish_other", notCreated.get())
                + kv("publish_p50_ms", ms(publishMicros.getValueAtPercentile(50)))
                + kv("publish_p99_ms", ms(publishMicros.getValueAtPercentile(99)))
                + kv("publish_max_ms", ms(publishMicros.getMaxValue()))
                + kv("not_ready_checks", notReady.get())
                + kv("redis_used_mb_before", fmt(memBefore / 1048576.0))
                + kv("redis_used_mb_growth_max", fmt((memMax.get() - memBefore) / 1048576.0))
                + kv("redis_out_mb", fmt(redisOut / 1048576.0)).trim();
    }

    /** {@code namespaces x backlog} events, interleaved, in /broadcast batches of 1,000. */
    private static void fill(HttpClient http, URI base, String root, Options o) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        StringBuilder batch = new StringBuilder("[");
        int n = 0;
        for (int i = 0; i < o.backlog; i++) {
            for (int ns = 0; ns < o.namespaces; ns++) {
                if (n > 0) {
                    batch.append(',');
                }
                // Our payload, so the clients count what they got; seq in publish order.
                String data = Payload.encode(0, (long) i * o.namespaces + ns, 0, o.payloadBytes);
                batch.append("{\"namespace\":\"").append(root).append('/').append(ns)
                        .append("\",\"data\":").append(quote(data)).append('}');
                if (++n == 1000) {
                    inFlight.add(post(http, base, batch.append(']').toString(), o.token));
                    batch = new StringBuilder("[");
                    n = 0;
                    if (inFlight.size() >= 4) {
                        await(inFlight);
                    }
                }
            }
        }
        if (n > 0) {
            inFlight.add(post(http, base, batch.append(']').toString(), o.token));
        }
        await(inFlight);
    }

    private static CompletableFuture<HttpResponse<String>> post(HttpClient http, URI base, String body, String token) {
        HttpRequest r = HttpRequest.newBuilder(base.resolve("/broadcast"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(r, HttpResponse.BodyHandlers.ofString());
    }

    private static void await(List<CompletableFuture<HttpResponse<String>>> inFlight) throws Exception {
        for (CompletableFuture<HttpResponse<String>> f : inFlight) {
            HttpResponse<String> r = f.get();
            if (r.statusCode() != 201 && r.statusCode() != 200) {
                throw new IllegalStateException("filling history: " + r.statusCode() + " " + r.body());
            }
        }
        inFlight.clear();
    }

    private static void publishOnce(HttpClient http, URI base, String root, String token, Histogram micros,
                                    AtomicLong created, AtomicLong notCreated) {
        // Beside the storm's topic, not under it: published under it, each live event is also in
        // the newest page of every replay read after it and pushes one of the tool's events out of
        // it, so only clients whose read ran before the first publish could count as replayed
        // (1-2 of 500 were, whatever the gateway did).
        HttpRequest r = HttpRequest.newBuilder(base.resolve("/publish" + root + "-live?event=message"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("live")).build();
        long t0 = System.nanoTime();
        try {
            int status = http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
            synchronized (micros) {
                micros.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
            }
            (status == 201 ? created : notCreated).incrementAndGet();
        } catch (Exception e) {
            notCreated.incrementAndGet();
        }
    }

    private static void checkReady(HttpClient http, URI base, AtomicInteger notReady) {
        HttpRequest r = HttpRequest.newBuilder(base.resolve("/health/readiness")).timeout(Duration.ofSeconds(1)).build();
        try {
            if (http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                notReady.incrementAndGet();
            }
        } catch (Exception e) {
            notReady.incrementAndGet();
        }
    }

    private static long usedMemory(StatefulRedisConnection<String, String> info) {
        return stat(info, "memory", "used_memory");
    }

    private static long stat(StatefulRedisConnection<String, String> info, String section, String field) {
        for (String line : info.sync().info(section).split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim());
            }
        }
        return 0;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String kv(String key, Object value) {
        return key + "=" + value + " ";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }
}
