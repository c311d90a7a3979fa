package io.ssegateway.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

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
    void aLogbackFileOnTheClassPathWins() {
        // The tests' logback-test.xml is on the class path.
        LogbackSetup setup = new LogbackSetup();
        LoggerContext context = new LoggerContext();
        setup.setContext(context);
        assertEquals(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY, setup.configure(context));
    }
}
