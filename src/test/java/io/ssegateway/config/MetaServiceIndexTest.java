package io.ssegateway.config;

import io.micronaut.core.io.service.MicronautMetaServiceLoaderUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The listing of Micronaut's services is the one Micronaut makes, in the same order. */
class MetaServiceIndexTest {
    private static final List<String> ENTRIES = List.of(
            "META-INF/micronaut/", "META-INF/micronaut/a.Service/", "META-INF/micronaut/a.Service/a.One",
            "META-INF/micronaut/b.Service/b.One", "META-INF/micronaut/a.Service/a.Two",
            "META-INF/micronaut/a.Service/.hidden", "META-INF/micronaut/b.Service/b.Two", "other/a.Service/x.Y");

    @TempDir
    Path dir;

    @Test
    void aJarIsListedAsMicronautListsIt() throws IOException {
        Path jar = dir.resolve("app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String entry : ENTRIES) {
                out.putNextEntry(new JarEntry(entry));
                out.closeEntry();
            }
        }
        assertSameAsMicronaut(jar, Map.of("a.Service", List.of(".hidden", "a.Two", "a.One"), "b.Service", List.of("b.Two", "b.One")));
    }

    @Test
    void aDirectoryIsListedAsMicronautListsIt() throws IOException {
        Path classes = dir.resolve("classes");
        for (String entry : ENTRIES) {
            Path path = classes.resolve(entry);
            if (entry.endsWith("/")) {
                Files.createDirectories(path);
            } else {
                Files.createDirectories(path.getParent());
                Files.createFile(path);
            }
        }
        try (URLClassLoader classLoader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            Map<String, Set<String>> ours = MetaServiceIndex.list(classLoader).orElseThrow();
            Map<String, Set<String>> micronauts = MicronautMetaServiceLoaderUtils.findAllMicronautMetaServices(classLoader);
            assertEquals(micronauts, ours);
            assertEquals(Set.of("a.One", "a.Two"), ours.get("a.Service"));
        }
    }

    private static void assertSameAsMicronaut(Path jar, Map<String, List<String>> expected) throws IOException {
        try (URLClassLoader classLoader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Map<String, Set<String>> ours = MetaServiceIndex.list(classLoader).orElseThrow();
            Map<String, Set<String>> micronauts = MicronautMetaServiceLoaderUtils.findAllMicronautMetaServices(classLoader);
            assertEquals(micronauts.keySet(), ours.keySet());
            for (String service : micronauts.keySet()) {
                // the order too: ties between beans are resolved in it
                assertEquals(new ArrayList<>(micronauts.get(service)), new ArrayList<>(ours.get(service)), service);
            }
            for (Map.Entry<String, List<String>> service : expected.entrySet()) {
                assertEquals(service.getValue(), new ArrayList<>(ours.get(service.getKey())), service.getKey());
            }
        }
    }
}
