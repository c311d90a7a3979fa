package io.ssegateway.ingress;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.ssegateway.testing.JsonTree;
import io.ssegateway.egress.Drain;
import io.ssegateway.testing.Await;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.SseRecorder;
import io.ssegateway.testing.SseRecorder.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A real FIFO read by a running gateway, written by separate processes as a sidecar would. */
class FifoReaderTest {
    private static final int MAX_PAYLOAD = 100;

    @TempDir
    Path dir;
    private Path fifo;
    private Gateway gateway;
    private final LogRecorder log = new LogRecorder();

    @BeforeEach
    void start() {
        log.attach();
        fifo = dir.resolve("in.fifo");
        gateway = Gateway.start(Map.of("sse.fifo.path", fifo.toString(), "sse.max-payload", MAX_PAYLOAD, "sse.drain-period", "0s"));
    }

    @AfterEach
    void stop() {
        gateway.close();
        log.detach();
    }

    @Test
    void theGatewayCreatesTheFifoAtStartup() {
        assertTrue(Fifo.isFifo(fifo));
    }

    @Test
    void aMissingDirectoryIsCreatedPrivateToTheOwnerAndGroup() throws Exception {
        Path nested = dir.resolve("run/sse/events.fifo");
        try (Gateway other = Gateway.start(Map.of("sse.fifo.path", nested.toString(), "sse.drain-period", "0s"))) {
            assertTrue(Fifo.isFifo(nested));
            assertEquals(Fifo.DIRECTORY_MODE, PosixFilePermissions.toString(Files.getPosixFilePermissions(nested.getParent())));
        }
    }

    @Test
    void linesFromWritersOneAfterAnotherArriveInOrderAndBadLinesAreSkipped() throws Exception {
        try (SseRecorder feed = subscribe("/subscribe/feed")) {
            write("/feed = one\n/feed = two\n");
            write("/feed/../x = bad\nnonsense\n/feed = " + "x".repeat(2 * MAX_PAYLOAD + 1024) + "\n/feed tick = three\n");
            assertEquals(List.of("message:one", "message:two", "tick:three"), next(feed, 3));

            // Without a final LF the writer's close ends the line, once no other writer is on.
            write("/feed = four");
            assertEquals(List.of("message:four"), next(feed, 1));

            write("# comment\n\nfeed/tock = five\r\n");
            assertEquals(List.of("tock:five"), next(feed, 1));
        }
        log.await(m -> m.contains("\"ERR INVALID_NAMESPACE namespace segment '..' is not allowed\""));
        log.await(m -> m.contains("\"ERR INVALID_COMMAND "));
        log.await(m -> m.contains("\"ERR PAYLOAD_TOO_LARGE line is longer than " + (MAX_PAYLOAD + 1024) + " bytes\""));
    }

    @Test
    void statusIsWrittenToTheLogAsJson() throws Exception {
        write("status\n");
        String line = log.await(m -> m.contains(" status={"));
        JsonTree status = JsonTree.parse(line.substring(line.indexOf("status=") + "status=".length()));
        assertTrue(status.hasNonNull("instance"), status.toString());
    }

    @Test
    void haltDrainsAndStopsTheInstance() throws Exception {
        Drain drain = gateway.bean(Drain.class);
        write("halt\n");
        Await.until(drain::isDraining);
        Await.until(() -> !gateway.context().isRunning());
        Await.until(() -> readerStack().isEmpty());
    }

    @Test
    void stopsPromptlyWhileWaitingForAWriterToOpen() {
        Await.until(() -> readerStack().contains("UnixNativeDispatcher.open"));
        assertTimeoutPreemptively(Await.TIMEOUT, gateway::close);
        assertEquals("", readerStack());
    }

    @Test
    void stopsPromptlyWhileAWriterHoldsTheFifoOpenSilently() throws Exception {
        try (SseRecorder feed = subscribe("/subscribe/feed");
             FileChannel writer = FileChannel.open(fifo, StandardOpenOption.WRITE)) {
            writer.write(ByteBuffer.wrap("/feed = held open\n".getBytes(StandardCharsets.UTF_8)));
            assertEquals("held open", feed.next().data());
            Await.until(() -> readerStack().contains(".read"));
            assertTimeoutPreemptively(Await.TIMEOUT, gateway::close);
            assertEquals("", readerStack());
        }
    }

    private SseRecorder subscribe(String path) {
        SseRecorder recorder = SseRecorder.open(gateway.url(path));
        recorder.awaitOpen();
        return recorder;
    }

    private static List<String> next(SseRecorder recorder, int n) {
        List<String> got = new ArrayList<>();
        for (Received r : recorder.next(n)) {
            got.add(r.typeOrMessage() + ":" + r.data());
        }
        return got;
    }

    /** Runs {@code sh} to write {@code text} into the FIFO and waits for it to finish. */
    private void write(String text) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", "printf '%s' \"$1\" > \"$0\"", fifo.toString(), text)
                .redirectErrorStream(true)
                .start();
        assertTrue(p.waitFor(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "writer finished");
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** The FIFO thread's stack, one frame a line, or empty when there is no such thread. */
    private static String readerStack() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().equals("sse-fifo") && e.getKey().isAlive())
                .map(e -> String.join("\n", Arrays.stream(e.getValue()).map(String::valueOf).toList()))
                .findFirst().orElse("");
    }

    /** Collects the FIFO reader's log lines. */
    private static final class LogRecorder extends AppenderBase<ILoggingEvent> {
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Logger logger = (Logger) LoggerFactory.getLogger(FifoReader.class);

        void attach() {
            start();
            logger.addAppender(this);
        }

        void detach() {
            logger.detachAppender(this);
            stop();
        }

        @Override
        protected void append(ILoggingEvent event) {
            lines.add(event.getFormattedMessage());
        }

        /** The first line, from now on, that matches; fails after the usual wait. */
        String await(Predicate<String> match) throws InterruptedException {
            long deadline = System.nanoTime() + Await.TIMEOUT.toNanos();
            for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                String line = lines.poll(left, TimeUnit.NANOSECONDS);
                if (line != null && match.test(line)) {
                    return line;
                }
            }
            return fail("no log line matched within " + Await.TIMEOUT);
        }
    }
}
