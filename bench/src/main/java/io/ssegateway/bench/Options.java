package io.ssegateway.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Command-line options, {@code --name value} or {@code --flag}; see {@link #USAGE}. */
final class Options {
    static final String USAGE = """
            usage: java -jar sse-bench.jar [--mode stream|idle|storm|resume|token] [options]
              (token: prints a publisher token signed with $JWT_SECRET)
              --label NAME           name printed first on the result line
              --sub URL[,URL...]     subscribe URLs; connections go to them in turn
              --conns N              SSE connections (1000)
              --client-threads N     client event loops (1)
              --pub-url URL          publish by HTTP POST to URL (body = payload)
              --token JWT            bearer token for --pub-url
              --redis URI            publish by Redis PUBLISH on --channel instead
              --channel NAME         Redis channel (sse:/bench)
              --lanes N              publisher connections, each its own sequence (4)
              --payload-bytes N      size of each event's data (60)
              --window N             unanswered publishes per lane (16)
              --rate N               events/s in total; 0 = as fast as answered (1000)
              --duration S           measured seconds (10)
              --warmup S             seconds published before measuring (2)
              --drain S              at most this long for the last events to arrive (5)
              --slow N               the first N connections read slowly (0)
              --slow-interval MS     a slow connection reads every MS (100)
              --slow-read BYTES      and this much each time (1024)
              --stall                slow connections read their response head, then never again
              --probe URL            stream: ask URL (a health endpoint) every 100 ms, report its latency
              --reconnect            cut connections reconnect with Last-Event-ID (failed attempts retried)
              --pids P[,P...]        server processes to measure
              --ports P[,P...]       ... or the processes listening on these ports
              --settle S             idle: seconds to wait before each memory reading (3)
              --backlog N            storm: events published before the storm (1000)
              --live-rate N          storm: events/s published during the storm (50)
              --timeout S            storm: longest wait for every client to catch up (15)
              --namespaces N         resume: namespaces under the --sub path holding history (100)
              --replay-limit N       resume: the gateway's sse.replay-limit (10000)
              --redis URI            resume: Redis whose used_memory is watched
            """;

    String mode = "stream";
    String label = "target";
    List<String> subscribeUrls = new ArrayList<>(List.of("http://127.0.0.1:8080/subscribe/bench"));
    int conns = 1000;
    int clientThreads = 1;
    String pubUrl;
    String token;
    String redisUri;
    String channel = "sse:/bench";
    int lanes = 4;
    int window = 16;
    int payloadBytes = Payload.TARGET_BYTES;
    double rate = 1000;
    double durationSeconds = 10;
    double warmupSeconds = 2;
    double drainSeconds = 5;
    int slow;
    int slowIntervalMillis = 100;
    int slowReadBytes = 1024;
    int slowReceiveBuffer = 4096;
    boolean reconnect;
    boolean stall;
    String probeUrl;
    int reconnectDelayMillis = 200;
    List<Long> pids = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    double settleSeconds = 3;
    int backlog = 1000;
    double liveRate = 50;
    double timeoutSeconds = 15;
    int openTimeoutSeconds = 60;
    int namespaces = 100;
    int replayLimit = 10_000;

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--reconnect")) {
                o.reconnect = true;
                continue;
            }
            if (a.equals("--stall")) {
                o.stall = true;
                continue;
            }
            if (a.equals("--help") || a.equals("-h")) {
                throw new IllegalArgumentException("");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--mode" -> o.mode = v;
                case "--label" -> o.label = v;
                case "--sub" -> o.subscribeUrls = new ArrayList<>(Arrays.asList(v.split(",")));
                case "--conns" -> o.conns = Integer.parseInt(v);
                case "--client-threads" -> o.clientThreads = Integer.parseInt(v);
                case "--pub-url" -> o.pubUrl = v;
                case "--token" -> o.token = v;
                case "--redis" -> o.redisUri = v;
                case "--channel" -> o.channel = v;
                case "--lanes" -> o.lanes = Integer.parseInt(v);
                case "--window" -> o.window = Integer.parseInt(v);
                case "--payload-bytes" -> o.payloadBytes = Integer.parseInt(v);
                case "--rate" -> o.rate = Double.parseDouble(v);
                case "--duration" -> o.durationSeconds = Double.parseDouble(v);
                case "--warmup" -> o.warmupSeconds = Double.parseDouble(v);
                case "--drain" -> o.drainSeconds = Double.parseDouble(v);
                case "--slow" -> o.slow = Integer.parseInt(v);
                case "--slow-interval" -> o.slowIntervalMillis = Integer.parseInt(v);
                case "--slow-read" -> o.slowReadBytes = Integer.parseInt(v);
                case "--probe" -> o.probeUrl = v;
                case "--pids" -> o.pids = longs(v);
                case "--ports" -> o.ports = longs(v).stream().map(Long::intValue).toList();
                case "--settle" -> o.settleSeconds = Double.parseDouble(v);
                case "--backlog" -> o.backlog = Integer.parseInt(v);
                case "--live-rate" -> o.liveRate = Double.parseDouble(v);
                case "--timeout" -> o.timeoutSeconds = Double.parseDouble(v);
                case "--namespaces" -> o.namespaces = Integer.parseInt(v);
                case "--replay-limit" -> o.replayLimit = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        // Bounds that keep every run finite whatever is asked.
        if (o.durationSeconds <= 0 || o.durationSeconds > 600 || o.warmupSeconds < 0 || o.warmupSeconds > 60
                || o.drainSeconds < 0 || o.drainSeconds > 60 || o.timeoutSeconds <= 0 || o.timeoutSeconds > 120
                || o.settleSeconds < 0 || o.settleSeconds > 60) {
            throw new IllegalArgumentException("durations must be within 0..600 s (warmup, drain, settle: 60 s; timeout: 120 s)");
        }
        if (o.payloadBytes < 40 || o.payloadBytes > 60_000) {
            throw new IllegalArgumentException("--payload-bytes must be 40..60000");
        }
        if (o.conns < 1 || o.conns > 20_000) {
            throw new IllegalArgumentException("--conns must be 1..20000");
        }
        return o;
    }

    private static List<Long> longs(String v) {
        List<Long> out = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                out.add(Long.parseLong(s.trim()));
            }
        }
        return out;
    }

    /** The publisher the options name, not yet connected; null when none is named. */
    PacedPublisher publisher(int lanes) {
        if (redisUri != null) {
            return new RedisPublisher(redisUri, channel, lanes, window).payloadBytes(payloadBytes);
        }
        if (pubUrl != null) {
            return new HttpPublisher(java.net.URI.create(pubUrl), token, lanes, window).payloadBytes(payloadBytes);
        }
        return null;
    }
}
