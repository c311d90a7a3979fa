package io.ssegateway.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.ssegateway.core.Event;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.HistoryPolicy;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.Replay;
import io.ssegateway.testing.RedisServer;
import io.ssegateway.testing.Closing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a replay costs Redis is bounded by what it sends, not by the history: an unknown id
 * against many namespaces used to read up to the limit from every stream (an 18 MB reply for 100
 * namespaces of 1,000 events), and a handful of such resumes at once timed every command out.
 */
class ReplayCostTest {
    private static final HistoryPolicy POLICY = new HistoryPolicy(1000, Duration.ofHours(1));
    private static final int NAMESPACES = 100;
    private static final int PER_NAMESPACE = 100;
    private static final String PAD = "x".repeat(100);
    /** Long enough to see every request of a storm submitted, short of the command timeout. */
    private static final Duration PAUSE = Duration.ofMillis(300);

    /** Publishes {@code perNamespace} events to each of the namespaces, interleaved. */
    private static void fill(RedisBroker broker, int perNamespace) throws Exception {
        List<CompletableFuture<Event>> sent = new ArrayList<>();
        for (int i = 0; i < perNamespace; i++) {
            for (int n = 0; n < NAMESPACES; n++) {
                sent.add(broker.publish(EventDraft.of(Namespace.parse("/cost/" + n), "message", i + PAD)));
            }
            // Batches small enough to clear the command timeout on a busy 2-core machine.
            if (sent.size() >= 200) {
                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                sent.clear();
            }
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    private static long outputBytes(StatefulRedisConnection<String, String> cli) {
        for (String line : cli.sync().info("stats").split("\r\n")) {
            if (line.startsWith("total_net_output_bytes:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new AssertionError("no total_net_output_bytes in INFO stats");
    }

    private static long bytesOf(StatefulRedisConnection<String, String> cli, String topic, int limit) throws Exception {
        long before = outputBytes(cli);
        Replay replay = broker.replay(List.of(Namespace.parse(topic)), null, limit).get(10, TimeUnit.SECONDS);
        long after = outputBytes(cli);
        assertEquals(limit, replay.events().size());
        return after - before;
    }

    /**
     * The replay script calls Redis logged since the slow log was reset, each as the entries it
     * was asked to merge; the log must be logging every command.
     */
    private static List<Integer> replayCalls(StatefulRedisConnection<String, String> cli) {
        String replaySha = LuaScript.named("replay").sha();
        List<Integer> asked = new ArrayList<>();
        for (Object logged : cli.sync().slowlogGet(10000)) {
            List<?> args = (List<?>) ((List<?>) logged).get(3);
            if (args.size() > 10 && "EVALSHA".equalsIgnoreCase(String.valueOf(args.get(0)))
                    && replaySha.equals(args.get(1))) {
                // EVALSHA sha 4 KEYS[1..4] ARGV[1..3] ARGV[4]: the entries the call may merge.
                asked.add(Integer.parseInt(String.valueOf(args.get(10))));
            }
        }
        return asked;
    }

    /** A Redis of its own: the test reads its output counter, which every client adds to. */
    private static RedisServer server;
    private static RedisClient client;
    private static RedisBroker broker;

    @BeforeAll
    static void history() throws Exception {
        server = RedisServer.dedicated();
        client = RedisTesting.client(server.uri());
        broker = RedisTesting.broker(client, POLICY);
        fill(broker, PER_NAMESPACE);
    }

    @AfterAll
    static void stop() {
        Closing.inOrder(broker, client == null ? null : () -> RedisTesting.shutdown(client), server);
    }

    @Test
    void unknownIdAgainstManyNamespacesReadsAboutTheLimit() throws Exception {
        try (StatefulRedisConnection<String, String> cli = client.connect()) {
            int limit = 50;
            long one = bytesOf(cli, "/cost/7", limit);
            long all = bytesOf(cli, "/cost", limit);
            // Reading the limit from each of 100 streams replied 100 times as much.
            assertTrue(all < 2 * one, "a replay over 100 namespaces sent " + all + " bytes, over one " + one);
        }
    }

    @Test
    void aLongReplayIsReadAPageAtATimeSoPublishesRunBetweenItsCalls() throws Exception {
        // Redis runs a script alone: one call merging a whole replay held every publish of
        // every instance behind it (0.2 s on a quiet machine, 2.8 s on a busy one).
        int limit = NAMESPACES * PER_NAMESPACE / 2;
        try (StatefulRedisConnection<String, String> cli = client.connect()) {
            cli.sync().configSet("slowlog-max-len", "10000");
            cli.sync().configSet("slowlog-log-slower-than", "0");
            cli.sync().slowlogReset();
            try {
                Replay replay = broker.replay(List.of(Namespace.parse("/cost")), null, limit).get(30, TimeUnit.SECONDS);
                assertEquals(limit, replay.events().size());
                assertTrue(replay.gap());
                for (int i = 1; i < replay.events().size(); i++) {
                    assertTrue(replay.events().get(i - 1).id().compareTo(replay.events().get(i).id()) < 0,
                            "in publish order across the pages");
                }
                List<Integer> asked = replayCalls(cli);
                assertTrue(asked.size() >= limit / ReplayScript.PAGE, "script calls of the replay: " + asked);
                assertTrue(asked.stream().allMatch(n -> n <= ReplayScript.PAGE), "entries asked per call: " + asked);
            } finally {
                cli.sync().configSet("slowlog-log-slower-than", "10000");
            }
        }
    }

    @Test
    void resumeSeveralPagesBackGetsExactlyWhatFollowsTheIdAcrossThePages() throws Exception {
        List<Namespace> all = List.of(Namespace.parse("/cost"));
        int back = 2 * ReplayScript.PAGE + ReplayScript.PAGE / 2;
        List<Event> newest = broker.replay(all, null, back + 1).get(30, TimeUnit.SECONDS).events();

        Replay resumed = broker.replay(all, newest.get(0).id(), NAMESPACES * PER_NAMESPACE).get(30, TimeUnit.SECONDS);

        assertEquals(false, resumed.gap(), "nothing was trimmed: an exact resume");
        assertEquals(newest.subList(1, newest.size()).stream().map(Event::id).toList(),
                resumed.events().stream().map(Event::id).toList());
    }

    @Test
    void stormOfIdenticalResumesAgainstALargeHistoryAllAnswerWithinTheCommandTimeout() throws Exception {
        List<Namespace> root = List.of(Namespace.ROOT);
        int clients = 50;
        int limit = NAMESPACES * PER_NAMESPACE / 2;
        long readsBefore = broker.replays().reads();
        long joinedBefore = broker.replays().joined();
        List<CompletableFuture<Replay>> storm = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            // A malformed id replays the newest, as one with no id does.
            storm.add(broker.replay(root, null, limit));
        }
        for (CompletableFuture<Replay> r : storm) {
            // Each read alone would have timed out (2 s) behind the others.
            Replay replay = r.get(30, TimeUnit.SECONDS);
            assertEquals(limit, replay.events().size());
            assertTrue(replay.gap());
        }
        // The first starts at once, the others share it and then one top-up read between them.
        long reads = broker.replays().reads() - readsBefore;
        assertEquals(2, reads);
        assertEquals(clients - reads, broker.replays().joined() - joinedBefore);
    }

    @Test
    void resumesArrivingWhileAReadRunsShareItsPagesAndAllGetTheSameWholeReplay() throws Exception {
        List<Namespace> root = List.of(Namespace.ROOT);
        int clients = 50;
        int limit = 5 * ReplayScript.PAGE;
        try (StatefulRedisConnection<String, String> cli = client.connect()) {
            cli.sync().configSet("slowlog-max-len", "10000");
            cli.sync().configSet("slowlog-log-slower-than", "0");
            try {
                cli.sync().slowlogReset();
                List<Event> alone = broker.replay(root, null, limit).get(30, TimeUnit.SECONDS).events();
                int oneRead = replayCalls(cli).size();

                cli.sync().slowlogReset();
                long sharedBefore = broker.replays().shared();
                // Redis holds the first page, so the first read is surely under way when the others come.
                cli.sync().clientPause(PAUSE.toMillis());
                List<CompletableFuture<Replay>> storm = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    storm.add(broker.replay(root, null, limit));
                }
                for (CompletableFuture<Replay> r : storm) {
                    Replay replay = r.get(30, TimeUnit.SECONDS);
                    assertTrue(replay.gap(), "more is retained than the limit");
                    assertEquals(alone.stream().map(Event::id).toList(), replay.events().stream().map(Event::id).toList(),
                            "every client gets the whole newest page, the same as one alone got");
                }
                // One read of its pages, then a top-up (nothing was published since) shared by those
                // who joined it; on a loaded machine some come after that top-up started and share a
                // second one. Each resume reading for itself was 50 reads, and joining only reads not
                // yet sent two.
                List<Integer> calls = replayCalls(cli);
                assertTrue(calls.size() <= oneRead + 2, "replay script calls for " + clients + " resumes: " + calls);
                assertEquals(clients - 1, broker.replays().shared() - sharedBefore);
            } finally {
                cli.sync().configSet("slowlog-log-slower-than", "10000");
            }
        }
    }
}
