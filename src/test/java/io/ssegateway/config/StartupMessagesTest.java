package io.ssegateway.config;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.context.exceptions.ConfigurationException;
import io.ssegateway.testing.Gateway;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a person starting the gateway is told: where it listens, where tokens come from, why it did not start. */
class StartupMessagesTest {
    private static final String SECRET = "startup-messages-test-secret-startup-messages";

    @Test
    void theExampleSecretFromEnvExampleIsRefusedWithOneSentence() {
        String example = ExampleSecretRefusal.PUBLISHED.iterator().next();
        RuntimeException e = assertThrows(RuntimeException.class, () -> Gateway.start(Map.of("jwt.secret", example)));
        String reason = GatewayLauncher.reason(e);
        assertTrue(reason.startsWith("JWT_SECRET is the public example from .env.example"), reason);
        assertTrue(reason.indexOf('\n') < 0, reason);
    }

    @Test
    void theLogSaysTheUrlAndWhereTokensComeFrom() {
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(ListeningLog.class);
        lines.start();
        logger.addAppender(lines);
        try (Gateway gateway = Gateway.start(Map.of("jwt.secret", SECRET))) {
            List<String> messages = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertTrue(messages.stream().anyMatch(m -> m.startsWith("event=listening url=http://") && m.contains(":" + gateway.port())), messages.toString());
            assertTrue(messages.stream().anyMatch(m -> m.startsWith("auth=jwt tokens=\"POST ") && m.contains("/login")), messages.toString());
        } finally {
            logger.detachAppender(lines);
        }
    }

    @Test
    void theReasonIsTheGatewaysOwnSentenceOnOneLine() {
        Exception e = new ConfigurationException("Bean definition could not be loaded\nPath Taken: ...",
                new IllegalStateException("cannot create \"/x\"\nfor SSE_FIFO_PATH", new NoSuchFileException("/x")));
        assertEquals("cannot create '/x' for SSE_FIFO_PATH", GatewayLauncher.reason(e));
    }
}
