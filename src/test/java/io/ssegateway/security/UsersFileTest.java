package io.ssegateway.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The users file is YAML (README, the chart's Secret) although the application's own
 * configuration is a properties file, which is why SnakeYAML stays a runtime dependency.
 */
class UsersFileTest {
    /** The key of MICRONAUT_CONFIG_FILES, which Micronaut also reads as a system property. */
    private static final String CONFIG_FILES = "micronaut.config.files";

    @Test
    void aYamlUsersFileNamedByMicronautConfigFilesIsRead(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("users.yml");
        Files.writeString(file, String.join("\n",
                "sse:",
                "  users:",
                "    alice:",
                "      password-hash: \"" + UserStoreTest.hash(BCrypt.Version.VERSION_2A, "wonderland") + "\"",
                "      roles: [publisher]",
                "      publish: [\"/pets\"]",
                "      subscribe: [\"/\"]",
                ""));
        System.setProperty(CONFIG_FILES, file.toString());
        try (ApplicationContext context = ApplicationContext.builder().environmentPropertySource(false)
                .properties(Map.of("sse.control.port", 0)).start()) {
            UserConfig alice = context.getBean(UserConfig.class);
            assertEquals("alice", alice.name());
            assertEquals(List.of("publisher"), alice.roles());
            assertEquals(List.of("/pets"), alice.publish());
        } finally {
            System.clearProperty(CONFIG_FILES);
        }
    }
}
