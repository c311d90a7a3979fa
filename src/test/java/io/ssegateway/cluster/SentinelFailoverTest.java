package io.ssegateway.cluster;

import io.ssegateway.testing.Resp;
import io.ssegateway.testing.ResumingSubscriber;
import io.ssegateway.testing.SentinelGroup;
import io.ssegateway.testing.SseRecorder;
import io.ssegateway.testing.SwitchRecorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances on {@code redis-sentinel://…} through the failures users of every SSE broker
 * report (Centrifugo #1189, spring-data-redis #2760, lettuce #1059): a graceful
 * {@code SENTINEL FAILOVER}, kill -9 of the master and its return as a replica, a sentinel down,
 * and a failover to a replica that missed the newest writes. Publishing runs at 20 events/s
 * throughout, with a subscriber on each instance that resumes with {@code Last-Event-ID}
 * whenever its stream ends. Each scenario logs {@code event=failover-result} with its numbers,
 * and checks the gateway's own part of the failover: from the {@code +switch-master} a sentinel
 * announced to the first publish the new master kept.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SentinelFailoverTest {
    private static final Logger LOG = LoggerFactory.getLogger(SentinelFailoverTest.class);
    /**
     * From Sentinel's {@code +switch-master} to the first publish the new master keeps: the
     * gateway hears the switch itself and leaves the old master at once; a connection that lost
     * its master is retried at most 1 s apart ({@code RedisClientTuning}), then asks a sentinel.
     */
    static final Duration BACK_AFTER_SWITCH = Duration.ofSeconds(3);
    /**
     * The longest a publish may be refused around a failover: detection, an election, and one
     * more (with two sentinels left, both may stand and split the vote; they stand again after
     * twice the failover timeout), the promotion (Sentinel reads the promoted replica's INFO
     * every second), then the gateway's part.
     */
    static final Duration REFUSAL_BOUND = SentinelGroup.DOWN_AFTER.plus(SentinelGroup.FAILOVER_TIMEOUT.multipliedBy(2))
            .plusSeconds(1).plus(BACK_AFTER_SWITCH);
    /** Time for everything to be back after the group settled: a reconnect (1 s at most apart) and a probe. */
    private static final Duration RECOVERY = Duration.ofSeconds(10);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);

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

    private FailoverRun.Tally end(FailoverRun run, String scenario, SwitchRecorder switches) {
        run.finish("/" + scenario, subscribers, RECOVERY);
        FailoverRun.Tally tally = run.verify(subscribers);
        SwitchRecorder.Switch heard = switches.first(RECOVERY);
        assertEquals(group.masterPort(), heard.port(), () -> "the switch heard names the master; the sentinels logged:\n"
                + group.sentinelLog());
        long back = run.keptPublishAfter(heard.atNanos(), kept("/" + scenario));
        LOG.info("event=failover-result scenario={} {} keptPublishAfterSwitchMs={}", scenario, tally, back);
        assertTrue(tally.refusalMillis() <= REFUSAL_BOUND.toMillis(), () -> scenario + ": refused for too long: " + tally
                + "; the sentinels logged:\n" + group.sentinelLog());
        assertTrue(back <= BACK_AFTER_SWITCH.toMillis(), scenario + ": the new master kept a publish only "
                + back + " ms after +switch-master");
        return tally;
    }

    /** The data of every event the master's history of {@code namespace} holds. */
    private static Set<String> kept(String namespace) {
        Set<String> data = new HashSet<>();
        List<?> entries = (List<?>) Resp.once(group.masterPort(), "XRANGE", cluster.prefix() + "@history:" + namespace, "-", "+");
        for (Object entry : entries) {
            List<?> fields = (List<?>) ((List<?>) entry).get(1);
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                if ("data".equals(fields.get(i))) {
                    data.add((String) fields.get(i + 1));
                }
            }
        }
        return data;
    }

    @Test
    void gracefulFailoverLosesNoAcknowledgedEventSilently() {
        FailoverRun run = begin("graceful");
        try (SwitchRecorder switches = group.recordSwitches()) {
            publishes(run, 20);
            int old = group.masterPort();
            int now = group.failover();
            assertTrue(now != old);
            // Until Sentinel demotes it, seconds later, the old master still takes the writes of a
            // client that has not left it, which the new one never gets: those must come out as a
            // history-gap, never as a silent jump.
            group.awaitStable();
            publishes(run, 20);
            end(run, "graceful", switches);
        }
    }

    @Test
    void killedMasterIsReplacedAndComesBackAsAReplica() {
        FailoverRun run = begin("kill");
        try (SwitchRecorder switches = group.recordSwitches()) {
            publishes(run, 20);
            int killed = group.killMaster();
            group.awaitNewMaster(killed);
            publishes(run, 20);
            group.restartAsReplica(killed);
            assertEquals("slave", SentinelGroup.role(killed));
            publishes(run, 10);
            FailoverRun.Tally tally = end(run, "kill", switches);
            assertEquals(List.of(true, true), tally.wentUnready(), "readiness went down while the master was gone");
        }
    }

    @Test
    void withOneSentinelDownTheOtherTwoStillFailOver() {
        FailoverRun run = begin("sentinel-down");
        group.stopSentinel(0);
        try (SwitchRecorder switches = group.recordSwitches()) {
            publishes(run, 10);
            int killed = group.killMaster();
            group.awaitNewMaster(killed);
            publishes(run, 20);
            group.restartAsReplica(killed);
            group.startSentinel(0);
            end(run, "sentinel-down", switches);
        }
    }

    @Test
    void failoverToAReplicaThatMissedWritesEndsTheEpochSoResumesSayHistoryGap() {
        FailoverRun run = begin("lossy");
        FailoverRun.Outcome lost;
        try (SwitchRecorder switches = group.recordSwitches()) {
            publishes(run, 10);
            // The replica holds back the replication stream (a paused replica applies nothing), so
            // the writes acknowledged from here on exist on the master only; kill -9 loses them.
            group.holdReplica();
            int before = run.outcomes().size();
            publishes(run, 10);
            int killed = group.killMasterAndReleaseReplica();
            List<FailoverRun.Outcome> lostWindow = run.outcomes().subList(before, run.outcomes().size());
            lost = lostWindow.stream().filter(o -> o.status() == 201).findFirst().orElseThrow();
            group.awaitNewMaster(killed);
            publishes(run, 20);
            group.restartAsReplica(killed);
            end(run, "lossy", switches);
        }
        assertFalse(kept("/lossy").contains(lost.data()), "the write the replica held back is lost");

        // A subscriber that got the lost events live needs no gap; one that missed any got one
        // (verify fails on a silent jump). A resume from a lost id must always be told.
        try (SseRecorder resumed = SseRecorder.open(cluster.get(1).url("/subscribe/lossy"), lost.id())) {
            assertEquals(200, resumed.awaitOpen().code());
            assertEquals("history-gap", resumed.next().type(), "a resume from a lost id is told so");
        }
    }
}
