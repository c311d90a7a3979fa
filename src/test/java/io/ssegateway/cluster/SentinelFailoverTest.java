package io.ssegateway.cluster;

import io.ssegateway.testing.Resp;
import io.ssegateway.testing.ResumingSubscriber;
import io.ssegateway.testing.SentinelGroup;
import io.ssegateway.testing.SseRecorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances on {@code redis-sentinel://…} through the failures users of every SSE broker
 * report (Centrifugo #1189, spring-data-redis #2760, lettuce #1059): a graceful
 * {@code SENTINEL FAILOVER}, kill -9 of the master and its return as a replica, a sentinel down,
 * and a failover to a replica that missed the newest writes. Publishing runs at 20 events/s
 * throughout, with a subscriber on each instance that resumes with {@code Last-Event-ID}
 * whenever its stream ends. Each scenario logs {@code event=failover-result} with its numbers.
 */
class SentinelFailoverTest {
    private static final Logger LOG = LoggerFactory.getLogger(SentinelFailoverTest.class);
    /** The longest a publish may be refused around a failover: detection, election, promotion, reconnect. */
    static final Duration REFUSAL_BOUND = Duration.ofSeconds(8);
    /** Time for everything to be back after the group settled: a reconnect (2 s at most apart) and a probe. */
    private static final Duration RECOVERY = Duration.ofSeconds(10);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    /** Longer than the publishes the lossy scenario makes meanwhile, shorter than the failover after the kill. */
    private static final Duration LOSSY_PAUSE = Duration.ofSeconds(2);

    private static SentinelGroup group;
    private static Cluster cluster;
    private final List<ResumingSubscriber> subscribers = new ArrayList<>();

    @BeforeAll
    static void start() {
        group = SentinelGroup.start();
        cluster = Cluster.start(2, group.uri(), Map.of(
                "sse.redis.command-timeout", COMMAND_TIMEOUT.toMillis() + "ms"), Map.of());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (group != null) {
            group.close();
        }
    }

    @BeforeEach
    void stable() {
        group.awaitStable();
        cluster.awaitReady();
    }

    @AfterEach
    void closeSubscribers() {
        subscribers.forEach(ResumingSubscriber::close);
        subscribers.clear();
    }

    private FailoverRun begin(String scenario) {
        String namespace = "/" + scenario;
        for (int i = 0; i < cluster.instances().size(); i++) {
            subscribers.add(new ResumingSubscriber(cluster.get(i).url("/subscribe" + namespace)));
        }
        for (ResumingSubscriber s : subscribers) {
            s.awaitOpen(RECOVERY);
        }
        String first = cluster.publish(cluster.get(0), namespace, "open-" + scenario);
        for (ResumingSubscriber s : subscribers) {
            s.awaitData("open-" + scenario, RECOVERY);
        }
        assertTrue(first != null);
        return FailoverRun.start(cluster, scenario, namespace);
    }

    /** Lets traffic run until {@code count} more publishes were answered: chaos happens under load. */
    private static void publishes(FailoverRun run, int count) {
        int target = run.outcomes().size() + count;
        io.ssegateway.testing.Await.until(RECOVERY, count + " publishes", () -> run.outcomes().size() >= target);
    }

    private FailoverRun.Tally end(FailoverRun run, String scenario) {
        run.finish("/" + scenario, subscribers, RECOVERY);
        FailoverRun.Tally tally = run.verify(subscribers);
        LOG.info("event=failover-result scenario={} {}", scenario, tally);
        assertTrue(tally.refusalMillis() <= REFUSAL_BOUND.toMillis(), scenario + ": refused for too long: " + tally);
        return tally;
    }

    @Test
    void gracefulFailoverLosesNoAcknowledgedEventSilently() {
        FailoverRun run = begin("graceful");
        publishes(run, 20);
        int old = group.masterPort();
        int now = group.failover();
        assertTrue(now != old);
        // Until Sentinel demotes it, seconds later, the old master still takes writes that the new
        // one never gets: those must come out as a history-gap, never as a silent jump.
        group.awaitStable();
        publishes(run, 20);
        end(run, "graceful");
    }

    @Test
    void killedMasterIsReplacedAndComesBackAsAReplica() {
        FailoverRun run = begin("kill");
        publishes(run, 20);
        int killed = group.killMaster();
        group.awaitNewMaster(killed);
        publishes(run, 20);
        group.restartAsReplica(killed);
        assertEquals("slave", SentinelGroup.role(killed));
        publishes(run, 10);
        FailoverRun.Tally tally = end(run, "kill");
        assertEquals(List.of(true, true), tally.wentUnready(), "readiness went down while the master was gone");
    }

    @Test
    void withOneSentinelDownTheOtherTwoStillFailOver() {
        FailoverRun run = begin("sentinel-down");
        group.stopSentinel(0);
        publishes(run, 10);
        int killed = group.killMaster();
        group.awaitNewMaster(killed);
        publishes(run, 20);
        group.restartAsReplica(killed);
        group.startSentinel(0);
        end(run, "sentinel-down");
    }

    @Test
    void failoverToAReplicaThatMissedWritesEndsTheEpochSoResumesSayHistoryGap() {
        FailoverRun run = begin("lossy");
        publishes(run, 10);
        // The replica holds back the replication stream (a paused replica applies nothing), so
        // the writes acknowledged from here on exist on the master only; kill -9 loses them.
        Resp.once(group.replicaPort(), "CLIENT", "PAUSE", Long.toString(LOSSY_PAUSE.toMillis()), "WRITE");
        int before = run.outcomes().size();
        publishes(run, 10);
        int killed = group.killMaster();
        List<FailoverRun.Outcome> lostWindow = run.outcomes().subList(before, run.outcomes().size());
        String lostId = lostWindow.stream().filter(o -> o.status() == 201).findFirst().orElseThrow().id();
        group.awaitNewMaster(killed);
        publishes(run, 20);
        group.restartAsReplica(killed);
        FailoverRun.Tally tally = end(run, "lossy");

        // A subscriber that got the lost events live needs no gap; one that missed any got one
        // (verify fails on a silent jump). A resume from a lost id must always be told.
        try (SseRecorder resumed = SseRecorder.open(cluster.get(1).url("/subscribe/lossy"), lostId)) {
            assertEquals(200, resumed.awaitOpen().code());
            assertEquals("history-gap", resumed.next().type(), "a resume from a lost id is told so");
        }
    }
}
