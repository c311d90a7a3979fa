package io.ssegateway.config;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A configuration record that its constraints refused, told as the settings a person sets:
 * {@code sse.max-payload (SSE_MAX_PAYLOAD) must be greater than 0}.
 *
 * <p>micronaut-validation reports a refused record as one exception whose message lists
 * {@code io.ssegateway.config.GatewayConfig.maxPayload - must be greater than 0} between a
 * bean path of a dozen lines; the Java component name is not what anyone configured. The
 * message is all it carries (no violation objects), so it is read here; ConfigConstraintsTest
 * fails if a Micronaut upgrade changes its form.
 */
final class ConstraintFailure {
    private static final String MARKER = "List of constraint violations:[";
    private static final Pattern VIOLATION = Pattern.compile("([\\w$]+(?:\\.[\\w$]+)+)\\.(\\w+) - ([^\\n]+)");

    private ConstraintFailure() {
    }

    /** The settings named in a validation failure's message; empty for any other message. */
    static Optional<String> describe(String message) {
        int start = message == null ? -1 : message.indexOf(MARKER);
        if (start < 0) {
            return Optional.empty();
        }
        int end = message.indexOf("\n]", start);
        Matcher violation = VIOLATION.matcher(message.substring(start + MARKER.length(), end < 0 ? message.length() : end));
        List<String> settings = new ArrayList<>();
        while (violation.find()) {
            String setting = settingOf(violation.group(1), violation.group(2));
            settings.add(setting + " (" + environmentVariable(setting) + ") " + violation.group(3).trim());
        }
        return settings.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", settings));
    }

    /** {@code sse.history} and {@code maxLength} → {@code sse.history.max-length}. */
    static String setting(String prefix, String component) {
        return prefix + "." + component.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    /** The variable Micronaut maps to a setting: {@code sse.history.max-length} → {@code SSE_HISTORY_MAX_LENGTH}. */
    static String environmentVariable(String setting) {
        return setting.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static String settingOf(String recordClass, String component) {
        try {
            ConfigurationProperties properties = Class.forName(recordClass).getAnnotation(ConfigurationProperties.class);
            if (properties != null) {
                return setting(properties.value(), component);
            }
        } catch (ClassNotFoundException e) {
            // Not one of ours: name it as Micronaut did.
        }
        return recordClass + "." + component;
    }
}
