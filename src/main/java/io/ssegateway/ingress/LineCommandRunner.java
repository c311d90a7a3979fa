package io.ssegateway.ingress;

import io.micronaut.context.BeanProvider;
import io.micronaut.core.annotation.Internal;
import io.micronaut.json.JsonMapper;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.LineCommand;
import io.ssegateway.core.PublishGrant;
import io.ssegateway.core.Publisher;
import io.ssegateway.core.Reason;
import io.ssegateway.egress.Drain;
import io.ssegateway.status.StatusService;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * What a line of the control port or the FIFO does. Both inputs run their lines through here,
 * so they parse, validate and publish alike; they differ only in where the reply goes (back to
 * the client, or to the log).
 *
 * <p>Lines come from local, trusted inputs and publish anywhere ({@link PublishGrant#ANYWHERE}).
 * Status and drain are looked up when used, not at startup: the drain may well want to stop
 * these inputs, and must be able to depend on them.
 */
@Singleton
@Internal
final class LineCommandRunner {
    private static final Logger LOG = LoggerFactory.getLogger(LineCommandRunner.class);

    enum Kind { PUBLISHED, STATUS, HALT, REFUSED, SKIPPED }

    /** One line's answer: {@code OK <id>}, the status JSON, {@code OK halting} or {@code ERR ...}. */
    record Reply(Kind kind, String text) {
        static final Reply SKIPPED = new Reply(Kind.SKIPPED, "");
        static final Reply HALTING = new Reply(Kind.HALT, "OK halting");

        static Reply refused(GatewayException e) {
            return new Reply(Kind.REFUSED, "ERR " + e.reason() + " " + oneLine(e.getMessage()));
        }
    }

    private final Publisher publisher;
    private final BeanProvider<StatusService> status;
    private final BeanProvider<Drain> drain;
    private final JsonMapper json;

    LineCommandRunner(Publisher publisher, BeanProvider<StatusService> status, BeanProvider<Drain> drain,
                      JsonMapper json) {
        this.publisher = publisher;
        this.status = status;
        this.drain = drain;
        this.json = json;
    }

    int maxLineBytes() {
        return LineCommand.maxLineBytes(publisher.maxPayloadBytes());
    }

    /**
     * Runs one line (without its LF) from {@code source}. The future completes with the reply
     * once a publish has been accepted or refused; it never fails. A halt is only announced:
     * the caller passes the reply on, then calls {@link #halt(String)}.
     */
    CompletableFuture<Reply> run(String line, String source) {
        LineCommand command;
        try {
            command = LineCommand.parse(line);
        } catch (GatewayException e) {
            return CompletableFuture.completedFuture(Reply.refused(e));
        }
        if (command instanceof LineCommand.Publish p) {
            try {
                return publisher.publish(p.draft(), PublishGrant.ANYWHERE, source).handle((event, error) ->
                        error == null ? new Reply(Kind.PUBLISHED, "OK " + event.id()) : Reply.refused(reason(error)));
            } catch (RuntimeException e) {
                // Refused by the publisher's checks, or a broker that failed before its future.
                return CompletableFuture.completedFuture(Reply.refused(reason(e)));
            }
        }
        if (command instanceof LineCommand.Status) {
            return CompletableFuture.completedFuture(status());
        }
        if (command instanceof LineCommand.Halt) {
            return CompletableFuture.completedFuture(Reply.HALTING);
        }
        return CompletableFuture.completedFuture(Reply.SKIPPED);
    }

    /** Starts the graceful shutdown of this instance; returns at once and never throws. */
    void halt(String source) {
        LOG.info("event=halt source={}", source);
        try {
            drain.get().begin("halt");
        } catch (RuntimeException e) {
            LOG.error("event=halt-failed source={} error=\"{}\"", source, oneLine(String.valueOf(e)));
        }
    }

    private Reply status() {
        try {
            // One line is the protocol's unit: a mapper configured to pretty-print would split the
            // reply. Outside strings a line break is only white space, and inside one JSON escapes it.
            return new Reply(Kind.STATUS, oneLine(json.writeValueAsString(status.get().snapshot())));
        } catch (IOException | RuntimeException e) {
            LOG.warn("event=status-failed error=\"{}\"", oneLine(String.valueOf(e)));
            return Reply.refused(new GatewayException(Reason.BROKER_UNAVAILABLE, "status is not available"));
        }
    }

    private static GatewayException reason(Throwable error) {
        Throwable cause = error.getCause() != null && !(error instanceof GatewayException) ? error.getCause() : error;
        if (cause instanceof GatewayException g) {
            return g;
        }
        LOG.warn("event=publish-failed error=\"{}\"", oneLine(String.valueOf(cause)));
        return new GatewayException(Reason.BROKER_UNAVAILABLE, "broker did not accept the event", cause);
    }

    /** CR or LF in a reply would end it early and shift every later reply by one line. */
    static String oneLine(String s) {
        return s == null ? "" : s.replace('\r', ' ').replace('\n', ' ');
    }
}
