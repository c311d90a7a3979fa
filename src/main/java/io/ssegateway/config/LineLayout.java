package io.ssegateway.config;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The log line {@code %d{HH:mm:ss.SSS} %-5level %logger{24} %msg%n} (and a stack trace when
 * there is one), written without logback's PatternLayout.
 *
 * <p>Why not the pattern: a JFR profile of the start showed about 6% of the main thread's samples
 * in setting up PatternLayout (its static converter table loads some 80 classes, then the pattern
 * is parsed and compiled), all before the first connection can be taken, for one fixed format.
 */
final class LineLayout extends LayoutBase<ILoggingEvent> {
    /** Longest logger name printed; longer ones have their packages cut to one letter, from the left. */
    static final int LOGGER_LENGTH = 24;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        TIME.formatTo(Instant.ofEpochMilli(event.getTimeStamp()), line);
        line.append(' ');
        String level = event.getLevel().toString();
        line.append(level).append(" ".repeat(Math.max(0, 5 - level.length()))).append(' ');
        line.append(abbreviate(event.getLoggerName())).append(' ');
        line.append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        if (event.getThrowableProxy() != null) {
            line.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append(CoreConstants.LINE_SEPARATOR);
        }
        return line.toString();
    }

    /** As logback's {@code %logger{24}}: {@code io.ssegateway.config.CoreFactory} → {@code i.s.config.CoreFactory}. */
    static String abbreviate(String name) {
        if (name.length() <= LOGGER_LENGTH) {
            return name;
        }
        String[] parts = name.split("\\.");
        int length = name.length();
        for (int i = 0; i < parts.length - 1 && length > LOGGER_LENGTH; i++) {
            length -= parts[i].length() - 1;
            parts[i] = parts[i].substring(0, 1);
        }
        return String.join(".", parts);
    }
}
