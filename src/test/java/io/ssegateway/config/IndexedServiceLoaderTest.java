package io.ssegateway.config;

import io.micronaut.core.io.service.SoftServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A service's implementations: the {@code META-INF/services} ones first, then Micronaut's; one
 * that cannot be made here (a missing class, no public no-argument constructor) is left out when
 * collecting, as by Micronaut's scan.
 */
class IndexedServiceLoaderTest {
    @TempDir
    Path dir;

    @Test
    void standardThenMicronautImplementationsAndTheMissingLeftOut() throws IOException {
        try (URLClassLoader classLoader = classLoader("java.util.ArrayList # the first\n\n  java.util.Vector\nno.such.Standard\n")) {
            IndexedServiceLoader<List<?>> loader = new IndexedServiceLoader<>(classLoader, "java.util.List",
                    List.of("java.util.LinkedList", "no.such.Definition", "java.util.AbstractList"));
            List<Class<?>> made = loader.load(null, null).stream().<Class<?>>map(Object::getClass).toList();
            assertEquals(List.of(ArrayList.class, Vector.class, LinkedList.class), made);
            assertEquals(List.of(LinkedList.class), loader.load(name -> name.contains("Linked"), null)
                    .stream().<Class<?>>map(Object::getClass).toList());
            assertEquals(List.of(Vector.class), loader.load(null, list -> list instanceof Vector<?>)
                    .stream().<Class<?>>map(Object::getClass).toList());
        }
    }

    @Test
    void iteratingMakesEachServiceOnlyWhenLoaded() throws IOException {
        try (URLClassLoader classLoader = classLoader("")) {
            IndexedServiceLoader<List<?>> loader = new IndexedServiceLoader<>(classLoader, "java.util.List",
                    List.of("no.such.Definition", "java.util.AbstractList", "java.util.LinkedList"));
            List<SoftServiceLoader.StaticDefinition<List<?>>> found = loader.findAll(name -> true).toList();
            assertEquals(List.of("java.util.AbstractList", "java.util.LinkedList"),
                    found.stream().map(SoftServiceLoader.StaticDefinition::getName).toList());
            assertThrows(RuntimeException.class, () -> found.get(0).load());
            assertEquals(LinkedList.class, found.get(1).load().getClass());
        }
    }

    private URLClassLoader classLoader(String servicesFile) throws IOException {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve("java.util.List"), servicesFile);
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    }
}
