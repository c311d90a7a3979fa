package io.ssegateway.bench;

import org.HdrHistogram.Histogram;

import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The load tool. Three modes, each bounded in time and ending by itself, each printing one
 * {@code key=value} line:
 * <ul>
 *   <li>{@code stream}: N subscribers, publishers at a rate (or flat out), deliveries/s,
 *       latency, loss, duplicates, disconnects, server CPU and memory;</li>
 *   <li>{@code idle}: server memory before and after N idle subscribers;</li>
 *   <li>{@code storm}: N subscribers resume at once with a {@code Last-Event-ID} some events
 *       behind, while publishing goes on; how long until each has caught up and is live;</li>
 *   <li>{@code resume}: N subscribers resume at once with a malformed id against a large
 *       history of many namespaces ({@link ResumeStorm}).</li>
 * </ul>
 * It talks to loopback addresses only.
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
            requireLoopback(o);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage().isEmpty() ? Options.USAGE : e.getMessage() + "\n" + Options.USAGE);
            System.exit(2);
            return;
        }
        if (o.mode.equals("token")) {
            // Prints a token for the gateway under test: the secret comes from JWT_SECRET.
            String secret = System.getenv("JWT_SECRET");
            if (secret == null || secret.length() < 32) {
                System.err.println("set JWT_SECRET (at least 32 bytes) to mint a token");
                System.exit(2);
            }
            System.out.println(Jwt.hs256(secret, 3600));
            return;
        }
        String line = switch (o.mode) {
            case "stream" -> stream(o);
            case "idle" -> idle(o);
            case "storm" -> storm(o);
            case "resume" -> ResumeStorm.run(o);
            default -> throw new IllegalArgumentException("unknown mode " + o.mode);
        };
        System.out.println("label=" + o.label + " mode=" + o.mode + " " + line);
        System.exit(0);
    }

    private static String stream(Options o) throws Exception {
        Window window = new Window();
        ProcStats server = ProcStats.of(o.pids, o.ports);
        ProcStats self = new ProcStats(List.of(ProcessHandle.current().pid()));
        try (HealthProbe probe = o.probeUrl == null ? null : new HealthProbe(URI.create(o.probeUrl), 100).start();
             SseClients clients = new SseClients(o, window);
             PacedPublisher publisher = o.publisher(o.lanes)) {
            if (publisher == null) {
                throw new IllegalArgumentException("stream mode needs --pub-url or --redis");
            }
            clients.open(o.conns, o.slow, o.lanes, 0, null);
            boolean allOpen = clients.awaitOpened(o.openTimeoutSeconds * 1000L);
            publisher.connect();

            long t0 = System.nanoTime();
            long start = t0 + seconds(o.warmupSeconds);
            long end = start + seconds(o.durationSeconds);
            window.open(start, end);
            publisher.start(o.rate, Long.MAX_VALUE);
            sleepUntil(start);
            double cpu0 = server.cpuSeconds();
            double self0 = self.cpuSeconds();
            long accepted0 = publisher.acceptedTotal();
            long rssMax = 0;
            while (System.nanoTime() < end) {
                rssMax = Math.max(rssMax, server.rssKb());
                sleepUntil(Math.min(end, System.nanoTime() + 200_000_000L));
            }
            double cpu1 = server.cpuSeconds();
            double self1 = self.cpuSeconds();
            long accepted1 = publisher.acceptedTotal();
            rssMax = Math.max(rssMax, server.rssKb());
            publisher.stop();
            publisher.awaitAnswers(5_000);

            long[] accepted = publisher.accepted();
            long drainEnd = System.nanoTime() + seconds(o.drainSeconds);
            while (System.nanoTime() < drainEnd && !clients.drained(accepted)) {
                Thread.sleep(50);
            }
            LoopStats t = clients.totals();
            long[] missed = clients.missed(accepted, 0);
            int readersNotOpen = clients.readersNotOpen();
            double secs = window.seconds();
            return kv("conns", clients.openedCount())
                    + kv("all_open", allOpen)
                    + kv("slow", o.slow)
                    + kv("rate", o.rate == 0 ? "max" : fmt(o.rate))
                    + kv("published_per_s", fmt((accepted1 - accepted0) / secs))
                    + kv("deliveries_per_s", fmt(t.deliveriesInWindow / secs))
                    + kv("missed", missed[0])
                    + kv("missed_by_cut", missed[1])
                    + kv("missed_in_gap", missed[2])
                    + kv("dup", t.duplicates)
                    + kv("gaps", t.gaps)
                    + kv("disconnects", t.disconnects)
                    + kv("reader_cuts", t.readerCuts)
                    + kv("readers_not_open", readersNotOpen)
                    + kv("reconnects", t.reconnects)
                    + kv("failed_opens", t.failedOpens)
                    + kv("publish_errors", publisher.errors())
                    + kv("published_bytes", publisher.acceptedTotal() * (long) o.payloadBytes)
                    + (probe == null ? "" : probe.summary() + " ")
                    + latency(t.latencyMicros)
                    + kv("publish_p50_ms", ms(publisher.answerMicros.getValueAtPercentile(50)))
                    + kv("publish_p99_ms", ms(publisher.answerMicros.getValueAtPercentile(99)))
                    + kv("server_cpu_pct", fmt(100 * (cpu1 - cpu0) / secs))
                    // What one delivery costs the server, comparable across loads and servers:
                    // CPU-seconds in the window over the deliveries received in it.
                    + kv("server_cpu_us_per_delivery", t.deliveriesInWindow == 0 ? "-"
                            : String.format(Locale.ROOT, "%.2f", 1e6 * (cpu1 - cpu0) / t.deliveriesInWindow))
                    + kv("server_rss_mb", fmt(rssMax / 1024.0))
                    + kv("server_pids", server.pids().size())
                    + kv("client_cpu_pct", fmt(100 * (self1 - self0) / secs)).trim();
        }
    }

    private static String idle(Options o) throws Exception {
        ProcStats server = ProcStats.of(o.pids, o.ports);
        try (SseClients clients = new SseClients(o, new Window())) {
            Thread.sleep(millis(o.settleSeconds));
            long before = server.rssKb();
            clients.open(o.conns, 0, 1, 0, null);
            boolean allOpen = clients.awaitOpened(o.openTimeoutSeconds * 1000L);
            Thread.sleep(millis(o.settleSeconds));
            long after = server.rssKb();
            int open = clients.openedCount();
            return kv("conns", open)
                    + kv("all_open", allOpen)
                    + kv("server_rss_before_mb", fmt(before / 1024.0))
                    + kv("server_rss_after_mb", fmt(after / 1024.0))
                    + kv("per_conn_kb", fmt(open == 0 ? 0 : (after - before) / (double) open))
                    + kv("server_pids", server.pids().size()).trim();
        }
    }

    private static String storm(Options o) throws Exception {
        ProcStats server = ProcStats.of(o.pids, o.ports);
        ProcStats self = new ProcStats(List.of(ProcessHandle.current().pid()));
        Window window = new Window();
        Options probeOptions = Options.parse(new String[] {"--sub", o.subscribeUrls.get(0)});
        try (SseClients probe = new SseClients(probeOptions, window);
             SseClients storm = new SseClients(o, window);
             PacedPublisher publisher = o.publisher(1)) {
            if (publisher == null) {
                throw new IllegalArgumentException("storm mode needs --pub-url or --redis");
            }
            // 1. One live client sees the backlog being published and learns the first event's id.
            probe.open(1, 0, 1, 0, null);
            if (!probe.awaitOpened(10_000)) {
                return kv("error", "probe could not subscribe").trim();
            }
            publisher.connect();
            publisher.start(0, o.backlog + 1L);
            publisher.awaitLimit(60_000);
            publisher.stop();
            long[] backlog = publisher.accepted();
            long until = System.nanoTime() + seconds(10);
            while (System.nanoTime() < until && !probe.drained(backlog)) {
                Thread.sleep(20);
            }
            String resumeId = probe.connections().get(0).firstId;
            if (resumeId == null) {
                return kv("error", "probe saw no id for the first event").trim();
            }

            // 2. Publishing goes on; every storm client resumes after event 0 at once.
            storm.catchUpSeq = publisher.nextSeq();
            double cpu0 = server.cpuSeconds();
            double self0 = self.cpuSeconds();
            long stormStart = System.nanoTime();
            window.open(stormStart, stormStart + seconds(o.timeoutSeconds));
            publisher.start(o.liveRate, Long.MAX_VALUE);
            storm.open(o.conns, 0, 1, 1, resumeId);
            boolean all = storm.awaitCaughtUp(millis(o.timeoutSeconds));
            long stormEnd = System.nanoTime();
            double cpu1 = server.cpuSeconds();
            double self1 = self.cpuSeconds();
            long rss = server.rssKb();
            publisher.stop();
            publisher.awaitAnswers(5_000);

            // Event 0 is before every resume point: it is not expected.
            long[] expected = publisher.accepted();
            expected[0] -= 1;
            long drainEnd = System.nanoTime() + seconds(o.drainSeconds);
            while (System.nanoTime() < drainEnd && !storm.drained(expected)) {
                Thread.sleep(50);
            }
            // The CPU of the whole storm, its replays and live events until every client had them,
            // whatever the time it took: the figure to compare on a machine whose load moves the
            // catch-up times.
            double cpu2 = server.cpuSeconds();
            double self2 = self.cpuSeconds();
            LoopStats t = storm.totals();
            long[] missed = storm.missed(expected, 1);
            Histogram catchUp = new Histogram(1, 600_000_000L, 3);
            // Where a client's wait goes: to its connection (the tool's connects and the server's
            // accepts), to the response head (routing and the replay's read), to the first event.
            Histogram connected = new Histogram(1, 600_000_000L, 3);
            Histogram head = new Histogram(1, 600_000_000L, 3);
            Histogram firstEvent = new Histogram(1, 600_000_000L, 3);
            int within5s = 0;
            for (SseConnection c : storm.connections()) {
                record(connected, c.connectedNanos, stormStart);
                record(head, c.headNanos, stormStart);
                record(firstEvent, c.firstEventNanos, stormStart);
                if (c.caughtUpNanos > 0) {
                    long us = Math.max(1, (c.caughtUpNanos - stormStart) / 1000);
                    catchUp.recordValue(us);
                    if (us <= 5_000_000) {
                        within5s++;
                    }
                }
            }
            return kv("conns", o.conns)
                    + kv("backlog", o.backlog)
                    + kv("live_rate", fmt(o.liveRate))
                    + kv("caught_up", storm.caughtUpCount())
                    + kv("caught_up_within_5s", within5s)
                    + kv("all_caught_up", all)
                    + kv("catchup_p50_ms", ms(catchUp.getValueAtPercentile(50)))
                    + kv("catchup_p99_ms", ms(catchUp.getValueAtPercentile(99)))
                    + kv("catchup_max_ms", ms(catchUp.getMaxValue()))
                    + kv("connected_p50_ms", ms(connected.getValueAtPercentile(50)))
                    + kv("connected_max_ms", ms(connected.getMaxValue()))
                    + kv("head_p50_ms", ms(head.getValueAtPercentile(50)))
                    + kv("head_max_ms", ms(head.getMaxValue()))
                    + kv("first_event_p50_ms", ms(firstEvent.getValueAtPercentile(50)))
                    + kv("first_event_max_ms", ms(firstEvent.getMaxValue()))
                    + kv("deliveries", t.deliveriesTotal)
                    + kv("missed", missed[0] + missed[1])
                    + kv("dup", t.duplicates)
                    + kv("gaps", t.gaps)
                    + kv("disconnects", t.disconnects)
                    + kv("failed_opens", t.failedOpens)
                    + kv("server_cpu_pct", fmt(100 * (cpu1 - cpu0) / ((stormEnd - stormStart) / 1e9)))
                    + kv("server_rss_mb", fmt(rss / 1024.0))
                    + kv("server_cpu_s", fmt(cpu2 - cpu0))
                    + kv("client_cpu_s", fmt(self2 - self0))
                    + kv("server_cpu_us_per_delivery", fmt(t.deliveriesTotal == 0 ? 0 : 1e6 * (cpu2 - cpu0) / t.deliveriesTotal))
                    + kv("client_cpu_pct", fmt(100 * (self1 - self0) / ((stormEnd - stormStart) / 1e9))).trim();
        }
    }

    /** Microseconds from {@code start} to {@code nanos}, when it happened. */
    private static void record(Histogram h, long nanos, long start) {
        if (nanos > 0) {
            h.recordValue(Math.max(1, (nanos - start) / 1000));
        }
    }

    private static String latency(Histogram h) {
        return kv("p50_ms", ms(h.getValueAtPercentile(50)))
                + kv("p99_ms", ms(h.getValueAtPercentile(99)))
                + kv("max_ms", ms(h.getMaxValue()));
    }

    private static void requireLoopback(Options o) {
        List<String> urls = new ArrayList<>(o.subscribeUrls);
        if (o.pubUrl != null) {
            urls.add(o.pubUrl);
        }
        if (o.redisUri != null) {
            urls.add(o.redisUri);
        }
        if (o.probeUrl != null) {
            urls.add(o.probeUrl);
        }
        for (String url : urls) {
            String host = URI.create(url).getHost();
            try {
                if (host == null || !InetAddress.getByName(host).isLoopbackAddress()) {
                    throw new IllegalArgumentException("not a loopback address: " + url);
                }
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("unknown host: " + url);
            }
        }
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

    private static long seconds(double s) {
        return (long) (s * 1e9);
    }

    private static long millis(double s) {
        return (long) (s * 1000);
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000), 0);
        }
    }
}
