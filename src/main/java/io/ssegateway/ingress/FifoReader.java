package io.ssegateway.ingress;

import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Internal;
import io.ssegateway.config.FifoConfig;
import io.ssegateway.core.GatewayException;
import io.ssegateway.ingress.LineCommandRunner.Reply;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads commands from a FIFO ({@code SSE_FIFO_PATH}), one line at a time, in the control port's
 * format; replies go to the log. A bad line is logged and skipped; nothing a writer sends stops
 * the reader. Every writer may open, write and close in turn: the FIFO is opened again after
 * each has gone.
 *
 * <p>It reads on a thread of its own, and waits for each publish to complete before reading the
 * next line, so events are published in the order they were written; a writer that outpaces the
 * broker is slowed down by the pipe filling up, and nothing piles up in memory.
 *
 * <p>Linux FIFO semantics it relies on: {@code open} for reading waits until a writer opens;
 * bytes left in the pipe are discarded when its last reader closes; opening read-write never
 * waits. This reader therefore keeps its previous read end open while it waits for the next
 * writer, and wakes itself (and stops) by opening the FIFO read-write.
 */
@Context
@Internal
final class FifoReader {
    private static final Logger LOG = LoggerFactory.getLogger(FifoReader.class);
    static final String SOURCE = "fifo";
    /**
     * The longest wait for the broker to accept one line's event; the broker's own timeouts end
     * a publish well before this. After it, the line is logged as failed and reading goes on.
     */
    private static final long PUBLISH_WAIT_SECONDS = 60;
    /**
     * A writer that opens, writes and closes between this reader's end of stream and its next
     * open leaves its bytes in the pipe but wakes nobody; a nudge this often bounds their wait.
     */
    private static final long NUDGE_MILLIS = 1000;
    /** Between attempts when the FIFO cannot be opened or read (for example it was removed). */
    private static final long RETRY_MILLIS = 1000;
    private static final long STOP_TIMEOUT_MILLIS = 5000;

    private final FifoConfig config;
    private final LineCommandRunner runner;
    private Path path;
    private Thread thread;
    private ScheduledExecutorService nudger;
    private volatile boolean stopping;
    private volatile boolean waitingForWriter;

    FifoReader(FifoConfig config, LineCommandRunner runner) {
        this.config = config;
        this.runner = runner;
    }

    @PostConstruct
    void start() {
        if (config.fifo().isEmpty()) {
            LOG.info("event=fifo-off reason=\"SSE_FIFO_PATH is not set\"");
            return;
        }
        path = config.fifo().get();
        Fifo.create(path);
        thread = new Thread(this::run, "sse-fifo");
        thread.setDaemon(true);
        thread.start();
        nudger = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sse-fifo-nudge");
            t.setDaemon(true);
            return t;
        });
        nudger.scheduleWithFixedDelay(this::nudge, NUDGE_MILLIS, NUDGE_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info("event=fifo-reading path={} max-line-bytes={}", path, runner.maxLineBytes());
    }

    @PreDestroy
    void stop() {
        if (thread == null) {
            return;
        }
        stopping = true;
        nudger.shutdownNow();
        // Held open until the thread is gone: whether it is in open() now or gets there later,
        // there is a writer, so it returns and sees that it is stopping.
        try (FileChannel ignored = Fifo.openReadWrite(path)) {
            stopAndJoin();
        } catch (IOException e) {
            stopAndJoin();
        }
        if (thread.isAlive()) {
            LOG.warn("event=fifo-stop-timeout path={}", path);
        } else {
            LOG.info("event=fifo-stopped path={}", path);
        }
    }

    private void stopAndJoin() {
        // Ends a read that waits on an open but silent writer (the channel is interruptible).
        thread.interrupt();
        try {
            thread.join(STOP_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void nudge() {
        if (waitingForWriter) {
            try (FileChannel ignored = Fifo.openReadWrite(path)) {
                // Opening is the nudge.
            } catch (IOException e) {
                LOG.debug("event=fifo-nudge-failed path={} error=\"{}\"", path, e.getMessage());
            }
        }
    }

    private void run() {
        FileChannel previous = null;
        while (!stopping) {
            try {
                FileChannel current = openWhenAWriterComes();
                close(previous);
                previous = current;
                if (!stopping) {
                    readLines(current);
                }
            } catch (IOException | RuntimeException e) {
                if (!stopping) {
                    retryLater(e);
                }
            }
        }
        close(previous);
    }

    private FileChannel openWhenAWriterComes() throws IOException {
        waitingForWriter = true;
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } finally {
            waitingForWriter = false;
        }
        if (!Fifo.isFifo(path)) {
            // A regular file put in its place would be read to its end again and again.
            channel.close();
            throw new IOException(path + " is no longer a FIFO");
        }
        return channel;
    }

    /** Runs every line until the last writer has closed the FIFO. */
    private void readLines(FileChannel channel) throws IOException {
        BoundedLineReader lines = new BoundedLineReader(channel, runner.maxLineBytes());
        int number = 0;
        while (!stopping) {
            String line;
            number++;
            try {
                line = lines.next();
            } catch (GatewayException e) {
                report(number, Reply.refused(e));
                continue;
            }
            if (line == null) {
                return;
            }
            Reply reply = runLine(number, line);
            if (reply != null) {
                report(number, reply);
            }
        }
    }

    private Reply runLine(int number, String line) {
        try {
            return runner.run(line, SOURCE).get(PUBLISH_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.warn("source=fifo line={} result=\"ERR PUBLISH_OUTCOME_UNKNOWN no answer within {}s\"", number, PUBLISH_WAIT_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // The runner's futures do not fail; kept for the compiler.
            LOG.error("source=fifo line={} error=\"{}\"", number, e.getCause());
        }
        return null;
    }

    private void report(int number, Reply reply) {
        switch (reply.kind()) {
            case PUBLISHED -> LOG.debug("source=fifo line={} result=\"{}\"", number, reply.text());
            case STATUS -> LOG.info("source=fifo line={} status={}", number, reply.text());
            case REFUSED -> LOG.warn("source=fifo line={} result=\"{}\"", number, reply.text());
            case HALT -> runner.halt(SOURCE);
            case SKIPPED -> { }
        }
    }

    private void retryLater(Exception e) {
        LOG.warn("event=fifo-failed path={} error=\"{}\" retry-ms={}", path, LineCommandRunner.oneLine(String.valueOf(e)), RETRY_MILLIS);
        try {
            Thread.sleep(RETRY_MILLIS);
            Fifo.create(path);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException re) {
            LOG.warn("event=fifo-create-failed path={} error=\"{}\"", path, LineCommandRunner.oneLine(re.getMessage()));
        }
    }

    private static void close(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("event=fifo-close-failed error=\"{}\"", e.getMessage());
            }
        }
    }
}
