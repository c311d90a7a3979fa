package io.ssegateway.config;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.ConfigurationReader;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.type.Argument;
import io.micronaut.inject.BeanDefinition;
import io.ssegateway.redis.RedisConfig;
import io.ssegateway.security.LoginLimits;
import io.ssegateway.security.SecurityConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's configuration table, the configuration records and what the application binds
 * say the same. The {@code sse:} channel prefix regressed twice while its default was written
 * in three places (README, the configuration file, the record); now the record is its one home,
 * and this test fails when the README or a line of application.properties disagrees with it.
 */
class DocumentedDefaultsTest {
    private static final List<Class<? extends Record>> RECORDS = List.of(GatewayConfig.class, HistoryConfig.class,
            ControlConfig.class, FifoConfig.class, IdempotencyConfig.class, RedisConfig.class, LoginLimits.class,
            SecurityConfig.class);
    /** Documented variables not on a record: Micronaut's own settings, mapped in application.properties. */
    // SSE_REDIS_SHARDS has no default anywhere on purpose: set at all, it chooses the sharded broker.
    private static final Set<String> NOT_ON_A_RECORD = Set.of("MICRONAUT_SERVER_PORT", "SSE_MAX_REQUEST_SIZE",
            "SSE_NATIVE_TRANSPORT", "REDIS_URI", "SSE_REDIS_SHARDS");
    private static final Pattern ROW = Pattern.compile("^\\| (`[A-Z_]+`(?: / `[A-Z_]+`)*) \\| ([^|]*) \\|", Pattern.MULTILINE);
    private static final Pattern TICKED = Pattern.compile("`([^`]*)`");

    private static ApplicationContext context;

    @BeforeAll
    static void start() {
        // Without the environment, so that a variable set on the machine does not decide; the
        // control port is the only setting given, so that the test binds no fixed port.
        context = ApplicationContext.builder().environmentPropertySource(false).deduceEnvironment(false)
                .properties(Map.of("sse.control.port", 0)).start();
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    @Test
    void everyDefaultTheReadmeDocumentsIsTheOneOnItsRecord() throws IOException {
        Map<String, String> onRecords = recordDefaults();
        Map<String, String> documented = readmeDefaults();
        assertTrue(documented.size() >= 30, "the README's table was not found: " + documented);
        List<String> wrong = new ArrayList<>();
        documented.forEach((variable, value) -> {
            if (NOT_ON_A_RECORD.contains(variable)) {
                return;
            }
            if (!onRecords.containsKey(variable)) {
                wrong.add(variable + " is documented but no configuration record reads it");
            } else if (value != null && !value.equals(onRecords.get(variable))) {
                wrong.add(variable + " is documented as " + value + " but defaults to " + onRecords.get(variable));
            }
        });
        assertEquals(List.of(), wrong);
    }

    /** Nothing in application.properties (or elsewhere on the class path) overrides a record default. */
    @Test
    void whatTheApplicationBindsIsTheRecordsDefault() {
        List<String> wrong = new ArrayList<>();
        for (Class<? extends Record> type : RECORDS) {
            BeanDefinition<? extends Record> definition = context.getBeanDefinition(type);
            Record bound = context.getBean(type);
            for (Argument<?> argument : definition.getConstructor().getArguments()) {
                String fallback = argument.getAnnotationMetadata().stringValue(Bindable.class, "defaultValue").orElse(null);
                if (fallback == null || (type == ControlConfig.class && argument.getName().equals("port"))) {
                    continue;
                }
                Object expected = context.getConversionService().convertRequired(fallback, argument);
                Object actual = component(bound, argument.getName());
                if (!expected.equals(actual)) {
                    wrong.add(ConstraintFailure.setting(prefix(definition), argument.getName()) + " binds " + actual + ", its record says " + fallback);
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** Environment variable to the default its record gives (null for a component without one). */
    private static Map<String, String> recordDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (Class<? extends Record> type : RECORDS) {
            BeanDefinition<? extends Record> definition = context.getBeanDefinition(type);
            for (Argument<?> argument : definition.getConstructor().getArguments()) {
                String variable = ConstraintFailure.environmentVariable(ConstraintFailure.setting(prefix(definition), argument.getName()));
                defaults.put(variable, argument.getAnnotationMetadata().stringValue(Bindable.class, "defaultValue").orElse(null));
            }
        }
        return defaults;
    }

    /**
     * Variable to documented default from the README's configuration table: the backquoted
     * values of a row, one per variable ({@code `7070` / `127.0.0.1`}); null when the row gives
     * none as a value ("unset", "off", "none", "a quarter of direct memory").
     */
    private static Map<String, String> readmeDefaults() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("\n## Configuration\n");
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher row = ROW.matcher(section);
        while (row.find()) {
            List<String> names = ticked(row.group(1));
            List<String> values = ticked(row.group(2));
            for (int i = 0; i < names.size(); i++) {
                documented.put(names.get(i), values.size() == names.size() ? values.get(i) : null);
            }
        }
        return documented;
    }

    private static List<String> ticked(String cell) {
        List<String> values = new ArrayList<>();
        Matcher m = TICKED.matcher(cell);
        while (m.find()) {
            values.add(m.group(1));
        }
        return values;
    }

    private static String prefix(BeanDefinition<?> definition) {
        return definition.stringValue(ConfigurationReader.class, "prefix").orElseThrow();
    }

    private static Object component(Record record, String name) {
        try {
            for (RecordComponent c : record.getClass().getRecordComponents()) {
                if (c.getName().equals(name)) {
                    return c.getAccessor().invoke(record);
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError(record.getClass().getSimpleName() + " has no component " + name);
    }
}
