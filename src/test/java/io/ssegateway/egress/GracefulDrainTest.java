package io.ssegateway.egress;

import io.ssegateway.testing.Await;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.SseRecorder;
import io.ssegateway.testing.TestTokens;
import io.ssegateway.testing.TransientRefusals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A drain refuses new streams, takes the instance out of readiness, and closes the open streams
 * spread over the drain period, so their clients come back elsewhere a few at a time; then the
 * instance stops, all within the period. SIGTERM starts it in a real process, which then exits
 * with 0 before the period is over: the grace a platform gives only has to exceed the period.
 */
class GracefulDrainTest {
    private static final Duration PERIOD = Duration.ofSeconds(2);
    private static final int STREAMS = 5;
    /** What the checks below may add to the period: polling for the stop, reaping the process. */
    private static final Duration POLL_SLACK = Duration.ofMillis(250);
    private static final Duration PROCESS_PERIOD = Duration.ofSeconds(2);
    private static final Duration PROCESS_EXIT_SLACK = Duration.ofMillis(750);

    @Test
    void drainRefusesNewStreamsLeavesReadinessClosesStreamsSpreadOverThePeriodAndStops() {
        Gateway gateway = Gateway.start(Map.of("sse.drain-period", PERIOD.toString()));
        try {
            assertEquals(200, Http.get(gateway.url("/health/readiness"), null).status());
            List<SseRecorder> open = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                SseRecorder r = SseRecorder.open(gateway.url("/subscribe/drain"));
                r.awaitOpen();
                open.add(r);
            }

            long began = System.nanoTime();
            gateway.bean(Drain.class).begin("test");

            Http.Reply readiness = Http.get(gateway.url("/health/readiness"), null);
            assertEquals(503, readiness.status(), readiness.body());
            TransientRefusals.assertRefusedForNow(gateway.port(), "/subscribe/drain", "draining");

            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (SseRecorder r : open) {
                assertEquals("closed", r.awaitEnd(), "ended with a last chunk, not cut");
                first = Math.min(first, r.endedAtNanos());
                last = Math.max(last, r.endedAtNanos());
                r.close();
            }
            // Closes are due at 0, 1/5, ... 4/5 of the period less the stop's reserve: not all at
            // the same instant, and all of them before the period is over.
            long spread = last - first;
            assertTrue(spread > PERIOD.toNanos() / 2, "closes spread over " + Duration.ofNanos(spread));
            assertTrue(last - began < PERIOD.toNanos(), "last close after " + Duration.ofNanos(last - began));
            Await.until(() -> !gateway.context().isRunning());
            long stopped = System.nanoTime() - began;
            assertTrue(stopped < PERIOD.plus(POLL_SLACK).toNanos(), "stopped after " + Duration.ofNanos(stopped));
        } finally {
            gateway.close();
        }
    }

    @Test
    @Timeout(180)
    void sigtermDrainsTheProcessWhichEndsItsStreamsCleanlyAndExitsWithZero() throws Exception {
        int port = freePort();
        Path log = Files.createDirectories(Path.of("target")).resolve("sigterm-process.log");
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "io.ssegateway.Application");
        builder.environment().put("MICRONAUT_SERVER_PORT", String.valueOf(port));
        builder.environment().put("SSE_DRAIN_PERIOD", PROCESS_PERIOD.toSeconds() + "s");
        builder.environment().put("SSE_CONTROL_PORT", "0");
        builder.environment().put("JWT_SECRET", TestTokens.SECRET);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        try {
            String base = "http://127.0.0.1:" + port;
            Await.until(Duration.ofSeconds(120), () -> answers(base + "/health/readiness"));
            List<SseRecorder> streams = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                streams.add(SseRecorder.open(base + "/subscribe/sigterm"));
                assertEquals(200, streams.get(i).awaitOpen().code());
            }

            long signalled = System.nanoTime();
            process.destroy();

            for (SseRecorder stream : streams) {
                assertEquals("closed", stream.awaitEnd(), "ended with a last chunk, not cut");
                stream.close();
            }
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "process exited");
            long exited = System.nanoTime() - signalled;
            assertEquals(0, process.exitValue(), () -> "exit code; log:\n" + read(log));
            String output = read(log);
            assertTrue(output.contains("event=drain-start reason=SIGTERM streams=" + STREAMS), output);
            assertTrue(output.contains("event=drain-stopped"), output);
            assertFalse(output.contains("event=drain-deadline"), "stopped before the deadline:\n" + output);
            // SIGTERM to exit within the period: the grace a platform gives must only exceed it.
            assertTrue(exited < PROCESS_PERIOD.plus(PROCESS_EXIT_SLACK).toNanos(),
                    "SIGTERM to exit took " + Duration.ofNanos(exited) + "; log:\n" + output);
        } finally {
            process.destroyForcibly();
        }
    }

    private static boolean answers(String url) {
        try {
            return Http.get(url, null).status() == 200;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
