package io.ssegateway.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Micronaut's own services ({@code META-INF/micronaut/<service>/<implementation>}, an empty
 * entry per implementation: every bean definition among them), listed from the jar's zip index
 * and from directories of classes, as {@code MicronautMetaServiceLoaderUtils} lists them.
 *
 * <p>Micronaut 4.10 lists them by opening each jar as a zip {@link java.nio.file.FileSystem},
 * which reads and indexes the whole central directory in Java: some 15% of the main thread's CPU
 * time to the first SSE byte for the 15,000 entries of the application jar (docs/startup.md).
 * The zip index the class loader already holds answers the same in a few milliseconds.
 */
final class MetaServiceIndex {
    static final String PATH = "META-INF/micronaut/";

    private MetaServiceIndex() {
    }

    /**
     * Implementations by service name, in class-path order; empty when a root is neither a jar
     * on the file system nor a directory (a jar inside a jar), which Micronaut lists itself.
     */
    static Optional<Map<String, Set<String>>> list(ClassLoader classLoader) {
        Map<String, Set<String>> services = new LinkedHashMap<>();
        try {
            Enumeration<URL> roots = classLoader.getResources(PATH);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                boolean directory = "file".equals(root.getProtocol());
                List<String> names = directory ? directoryEntries(Paths.get(root.toURI()))
                        : "jar".equals(root.getProtocol()) ? jarEntries(root) : null;
                if (names == null) {
                    return Optional.empty();
                }
                for (String name : names) {
                    add(services, name, directory);
                }
            }
        } catch (IOException | URISyntaxException | UncheckedIOException e) {
            return Optional.empty();
        }
        return Optional.of(services);
    }

    /**
     * {@code <service>/<implementation>} below {@link #PATH}, or null for a jar in a jar. In the
     * reverse of their order in the jar: Micronaut's walk of a zip file system meets them so, and
     * the same order keeps ties between beans resolved as before.
     */
    private static List<String> jarEntries(URL root) throws IOException {
        if (!JarEntryResourceLoader.isEntryOfJarFile(root)) {
            return null;
        }
        JarURLConnection connection = (JarURLConnection) root.openConnection();
        // Not the jar protocol's shared cache, which would keep the jar open for good; the zip
        // index itself is the one the class loader opened.
        connection.setUseCaches(false);
        List<String> names = new ArrayList<>();
        try (JarFile jar = connection.getJarFile()) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (name.startsWith(PATH)) {
                    names.add(name.substring(PATH.length()));
                }
            }
        }
        Collections.reverse(names);
        return names;
    }

    /** In the order the file system lists them, as Micronaut's walk of the directory meets them. */
    private static List<String> directoryEntries(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root, 2)) {
            return paths.filter(path -> root.relativize(path).getNameCount() == 2)
                    .map(path -> root.relativize(path).toString().replace('\\', '/'))
                    .toList();
        }
    }

    /**
     * Service directories are not implementations, and nor are hidden files of a directory (a jar
     * has none: Micronaut's listing keeps a dot entry of a jar, and so does this).
     */
    private static void add(Map<String, Set<String>> services, String relative, boolean directory) {
        String[] parts = relative.split("/", -1);
        if (parts.length == 1 || parts[0].isEmpty()) {
            return;
        }
        Set<String> implementations = services.computeIfAbsent(parts[0], service -> new LinkedHashSet<>());
        if (parts.length == 2 && !parts[1].isEmpty() && !(directory && parts[1].startsWith("."))) {
            implementations.add(parts[1]);
        }
    }
}
