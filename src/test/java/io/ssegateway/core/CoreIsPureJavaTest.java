package io.ssegateway.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The core is a library: it must not depend on the server, the framework or the Redis client. */
class CoreIsPureJavaTest {
    private static final List<String> FORBIDDEN = List.of("io.micronaut", "io.lettuce", "io.netty", "jakarta.", "reactor.",
            "com.fasterxml", "org.slf4j");

    @Test
    void coreImportsNoFrameworkNettyOrLettuce() throws IOException {
        Path core = Path.of("src/main/java/io/ssegateway/core");
        assertTrue(Files.isDirectory(core));
        List<String> offenders;
        try (Stream<Path> files = Files.walk(core)) {
            offenders = files.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
                try {
                    return Files.readAllLines(p).stream()
                            .filter(l -> l.startsWith("import "))
                            .filter(l -> FORBIDDEN.stream().anyMatch(f -> l.contains(" " + f) || l.contains("static " + f)))
                            .map(l -> p.getFileName() + ": " + l);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertEquals(List.of(), offenders);
    }
}
