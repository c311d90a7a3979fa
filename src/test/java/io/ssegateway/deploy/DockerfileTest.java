package io.ssegateway.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image runs the JVM as PID 1 under a numeric non-root user, so that SIGTERM reaches the drain
 * and a cluster's runAsNonRoot check can verify the user without a passwd file.
 */
class DockerfileTest {

    private final List<String> instructions = instructions();

    @Test
    void theRuntimeUserIsNumericAndNotRoot() {
        String user = last("USER").split(":")[0];
        assertTrue(user.matches("[0-9]+") && Integer.parseInt(user) > 0, user);
    }

    @Test
    void theEntrypointIsExecFormSoTheJvmGetsSigterm() {
        assertTrue(last("ENTRYPOINT").startsWith("[\"java\""), last("ENTRYPOINT"));
        assertEquals("SIGTERM", last("STOPSIGNAL"));
    }

    @Test
    void theJvmSizesItsHeapFromTheContainerAndExitsOnOutOfMemory() {
        String env = last("ENV");
        assertTrue(env.contains("-XX:MaxRAMPercentage=75") && env.contains("-XX:+ExitOnOutOfMemoryError"), env);
    }

    /** Free C heap goes back to the OS: 7-9 MB less RSS at idle (docs/startup.md). */
    @Test
    void theJvmGivesFreedNativeMemoryBackToTheSystem() {
        assertTrue(last("ENV").matches(".*-XX:TrimNativeHeapInterval=[1-9][0-9]*.*"), last("ENV"));
    }

    /**
     * The collector is part of what the AOT cache was made with: set in the environment before
     * the training run, the training run and every start share it, wherever the image is built.
     */
    @Test
    void theCollectorIsSetBeforeTheTrainingRunSoTheCacheMatches() {
        int env = lastIndexOf("ENV JAVA_TOOL_OPTIONS=");
        String options = instructions.get(env);
        assertTrue(options.contains("-XX:+UseSerialGC"), options);
        assertTrue(env < lastIndexOf("RUN "), "JAVA_TOOL_OPTIONS is set after the training run");
        assertFalse(last("ENTRYPOINT").contains("-XX:+Use"), "options in the entry point alone miss the training run");
    }

    /**
     * Direct buffers freed after a burst stayed in glibc's arenas: 2,000 clients that never read
     * took the RSS past a 512 MiB pod. A fixed mmap threshold maps large ones on their own.
     */
    @Test
    void largeNativeAllocationsAreMappedOnTheirOwnSoFreeingReturnsThem() {
        assertTrue(instructions.contains("ENV MALLOC_MMAP_THRESHOLD_=131072"), String.join("\n", instructions));
    }

    @Test
    void theHttpPortIsExposedAndTheJarIsBuiltByTheWrapper() {
        assertEquals("8080", last("EXPOSE"));
        assertTrue(instructions.stream().anyMatch(i -> i.startsWith("RUN ") && i.contains("./mvnw") && i.contains("package")));
        assertEquals(2, instructions.stream().filter(i -> i.startsWith("FROM ")).count(), "build and run stages");
    }

    @Test
    void theBaseImagesAreBuildArgumentsWithPublicDefaults() {
        assertTrue(instructions.contains("ARG BUILD_IMAGE=eclipse-temurin:25-jdk-noble"), instructions.toString());
        assertTrue(instructions.contains("ARG RUNTIME_IMAGE=eclipse-temurin:25-jre-noble"), instructions.toString());
        assertEquals("${RUNTIME_IMAGE}", last("FROM"));
    }

    @Test
    void theJvmStartsWithAnAotCacheMadeInTheRuntimeImage() {
        String entrypoint = last("ENTRYPOINT");
        Matcher archive = Pattern.compile("-XX:AOTCache=([^\"]+)").matcher(entrypoint);
        assertTrue(archive.find(), entrypoint);
        List<String> runStage = instructions.subList(lastIndexOf("FROM "), instructions.size());
        assertTrue(runStage.stream().anyMatch(i -> i.startsWith("RUN ")
                        && i.contains("-XX:AOTCacheOutput=" + archive.group(1))
                        && i.contains("test -s " + archive.group(1))),
                "the runtime stage makes " + archive.group(1) + " with its own JRE, and fails the build without it");
    }

    private int lastIndexOf(String prefix) {
        for (int i = instructions.size() - 1; i >= 0; i--) {
            if (instructions.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no " + prefix);
    }

    /** The argument of the last instruction of that kind. */
    private String last(String keyword) {
        return instructions.stream().filter(i -> i.startsWith(keyword + " "))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no " + keyword))
                .substring(keyword.length() + 1).strip();
    }

    /** Instructions with comments dropped and continuation lines joined. */
    private static List<String> instructions() {
        try {
            String text = Files.readString(Path.of("Dockerfile"))
                    .replaceAll("(?m)^\\s*#.*\\n", "")
                    .replaceAll("\\\\\\n\\s*", " ");
            return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
