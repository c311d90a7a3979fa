package io.ssegateway.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The logging set up in code: what the removed logback.xml said, and a file still wins. */
class LogbackSetupTest {

    @Test
    void gatewayLoggersAtTheGivenLevelEverythingElseAtWarnOnTheConsole() {
        LoggerContext context = new LoggerContext();
        LogbackSetup.apply(context, "DEBUG");
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.WARN, root.getLevel());
        assertInstanceOf(ConsoleAppender.class, root.getAppender("STDOUT"));
        assertEquals(Level.DEBUG, context.getLogger("io.ssegateway.egress.SseStream").getEffectiveLevel());
        assertEquals(Level.WARN, context.getLogger("io.micronaut.http").getEffectiveLevel());
    }

    @Test
    void gatewayLevelDefaultsToInfo() {
        LoggerContext context = new LoggerContext();
        LogbackSetup.apply(context, null);
        assertEquals(Level.INFO, context.getLogger("io.ssegateway").getLevel());
    }

    @Test
    void theLineIsTimeLevelAbbreviatedLoggerMessageAndStackTrace() {
        LoggerContext context = new LoggerContext();
        Logger logger = context.getLogger("io.ssegateway.ingress.ControlPortServer");
        LineLayout layout = new LineLayout();
        layout.setContext(context);
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.INFO, "event=x port={}",
                new IllegalStateException("boom"), new Object[] {7070});
        String[] lines = layout.doLayout(event).split("\n");
        assertTrue(lines[0].matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  i\\.s\\.i\\.ControlPortServer event=x port=7070"), lines[0]);
        assertEquals("java.lang.IllegalStateException: boom", lines[1]);
        assertEquals("i.s.config.CoreFactory", LineLayout.abbreviate("io.ssegateway.config.CoreFactory"));
        assertEquals("io.ssegateway.Short", LineLayout.abbreviate("io.ssegateway.Short"));
    }

    @Test
    void aLogbackFileOnTheClassPathWins() {
        // The tests' logback-test.xml is on the class path.
        LogbackSetup setup = new LogbackSetup();
        LoggerContext context = new LoggerContext();
        setup.setContext(context);
        assertEquals(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY, setup.configure(context));
    }
}
