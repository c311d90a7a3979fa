package io.ssegateway.config;

import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.micronaut.runtime.Micronaut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

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

    /**
     * Micronaut Redis's beans follow {@code redis.uri}, the gateway's own switch to Redis mode.
     * The module enables them whenever a {@code redis.*} key exists and {@code redis.enabled} is
     * not {@code false}; {@code redis.health.enabled} in application.yml is such a key, so a
     * local-broker start loaded and defined its Lettuce configuration and client factories for
     * nothing (some 100 classes before the first stream). With {@code redis.uri} set the value
     * is the URI, which is not {@code false}, so Redis mode gets them as before. The lowest
     * priority: an explicit {@code REDIS_ENABLED} still decides.
     */
    static final PropertySource REDIS_FOLLOWS_URI = PropertySource.of("gateway-defaults",
            Map.of("redis.enabled", "${redis.uri:false}"), Integer.MIN_VALUE);

    public GatewayLauncher() {
        propertySources(REDIS_FOLLOWS_URI);
    }

    @Override
    protected void handleStartupException(Environment environment, Throwable exception) {
        LOG.error("event=startup-failed reason=\"{}\"", reason(exception));
        LOG.debug("event=startup-failed", exception);
        System.exit(STARTUP_FAILED);
    }

    /**
     * The message of the outermost cause Micronaut did not throw: its wrappers add the bean
     * path, not the reason, and what lies below the gateway's own exception is the detail it
     * already put into its sentence. The innermost cause when all are Micronaut's.
     */
    static String reason(Throwable exception) {
        Throwable cause = exception;
        while (cause.getClass().getName().startsWith("io.micronaut.") && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        return message.replace('"', '\'').replace('\n', ' ');
    }
}
