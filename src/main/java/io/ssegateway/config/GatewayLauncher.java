package io.ssegateway.config;

import io.micronaut.context.env.Environment;
import io.micronaut.runtime.Micronaut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Micronaut's launcher, with a start-up failure told in one line and the process ended.
 *
 * <p>A newcomer's {@code SSE_FIFO_PATH} in a directory they could not create got forty lines
 * of bean-path stack trace, the one useful sentence buried in the middle; and under
 * {@code ./mvnw mn:run} the plugin then sat waiting with nothing listening. The line holds the
 * sentence the gateway wrote for a person; the stack trace is still
 * there at DEBUG ({@code SSE_LOG_LEVEL=DEBUG}).
 */
public final class GatewayLauncher extends Micronaut {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayLauncher.class);
    /** Exit status of a start that failed: a supervisor must see a failure, not a clean stop. */
    static final int STARTUP_FAILED = 1;

    @Override
    protected void handleStartupException(Environment environment, Throwable exception) {
        LOG.error("event=startup-failed reason=\"{}\"", reason(exception));
        LOG.debug("event=startup-failed", exception);
        System.exit(STARTUP_FAILED);
    }

    /**
     * The settings a constraint refused, when that is why; else the message of the outermost
     * cause Micronaut did not throw: its wrappers add the bean
     * path, not the reason, and what lies below the gateway's own exception is the detail it
     * already put into its sentence. The innermost cause when all are Micronaut's.
     */
    public static String reason(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Optional<String> refused = ConstraintFailure.describe(t.getMessage());
            if (refused.isPresent()) {
                return refused.get().replace('"', '\'');
            }
        }
        Throwable cause = exception;
        while (cause.getClass().getName().startsWith("io.micronaut.") && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        return message.replace('"', '\'').replace('\n', ' ');
    }
}
