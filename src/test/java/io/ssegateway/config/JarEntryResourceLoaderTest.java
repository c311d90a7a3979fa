package io.ssegateway.config;

import io.micronaut.core.io.scan.DefaultClassPathResourceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading property files from the application jar answers what Micronaut's own loader answers. */
class JarEntryResourceLoaderTest {
    private static final String PROPERTIES = "micronaut.application.name=sse-gateway\nsse.retry=3s\n";

    @TempDir
    Path dir;

    @Test
    void anEntryOfAJarIsReadWhole() throws IOException {
        try (URLClassLoader classLoader = classLoaderOver(jar())) {
            assertEquals(PROPERTIES, text(new JarEntryResourceLoader(classLoader).getResourceAsStream("application.properties")));
            assertEquals(PROPERTIES, text(new DefaultClassPathResourceLoader(classLoader).getResourceAsStream("application.properties")));
            assertEquals("nested", text(new JarEntryResourceLoader(classLoader).getResourceAsStream("config/nested.properties")));
        }
    }

    @Test
    void aDirectoryAMissingEntryAndAPathOutOfTheRootAreEmptyAsForMicronaut() throws IOException {
        try (URLClassLoader classLoader = classLoaderOver(jar())) {
            JarEntryResourceLoader loader = new JarEntryResourceLoader(classLoader);
            DefaultClassPathResourceLoader micronauts = new DefaultClassPathResourceLoader(classLoader);
            for (String path : new String[] {"config/", "config", "application-test.properties", "../application.properties"}) {
                assertTrue(micronauts.getResourceAsStream(path).isEmpty(), path);
                assertTrue(loader.getResourceAsStream(path).isEmpty(), path);
            }
        }
    }

    @Test
    void aFileInADirectoryOfClassesGoesToMicronautsLoader() throws IOException {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.writeString(classes.resolve("application.properties"), PROPERTIES);
        try (URLClassLoader classLoader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            assertEquals(PROPERTIES, text(new JarEntryResourceLoader(classLoader).getResourceAsStream("application.properties")));
        }
    }

    private Path jar() throws IOException {
        Path jar = dir.resolve("app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            entry(out, "application.properties", PROPERTIES);
            out.putNextEntry(new JarEntry("config/"));
            out.closeEntry();
            entry(out, "config/nested.properties", "nested");
        }
        return jar;
    }

    private static void entry(JarOutputStream jar, String name, String content) throws IOException {
        jar.putNextEntry(new JarEntry(name));
        jar.write(content.getBytes(StandardCharsets.UTF_8));
        jar.closeEntry();
    }

    private static URLClassLoader classLoaderOver(Path jar) throws IOException {
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
    }

    private static String text(Optional<InputStream> stream) {
        assertTrue(stream.isPresent());
        try (InputStream in = stream.get()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
