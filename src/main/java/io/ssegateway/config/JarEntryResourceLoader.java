package io.ssegateway.config;

import io.micronaut.core.io.scan.DefaultClassPathResourceLoader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The class-path resource loader the start reads {@code application.properties} through, which
 * reads an entry of the application jar as the class loader does, by its zip index.
 *
 * <p>Micronaut 4.10's loader opens the jar as a zip {@link java.nio.file.FileSystem} for every
 * resource it finds in one, which reads and indexes the whole central directory of the 15,000
 * entry jar in Java: some 6% of the main thread's CPU time before the first SSE byte
 * (docs/startup.md). Anything but an entry of a jar on the file system (a directory of classes,
 * a jar inside a jar, a path with {@code ../}) goes to Micronaut's own loader, unchanged.
 */
final class JarEntryResourceLoader extends DefaultClassPathResourceLoader {
    JarEntryResourceLoader(ClassLoader classLoader) {
        super(classLoader);
    }

    @Override
    public Optional<InputStream> getResourceAsStream(String path) {
        URL url = path.contains("../") ? null : getClassLoader().getResource(path);
        if (url == null || !isEntryOfJarFile(url)) {
            return super.getResourceAsStream(path);
        }
        try {
            return readEntry(url);
        } catch (IOException e) {
            return super.getResourceAsStream(path);
        }
    }

    /** {@code jar:file:/app.jar!/entry}: one jar, on the file system. */
    static boolean isEntryOfJarFile(URL url) {
        String file = url.getFile();
        int separator = file.indexOf("!/");
        return "jar".equals(url.getProtocol()) && file.startsWith("file:")
                && separator != -1 && file.indexOf("!/", separator + 2) == -1;
    }

    /** The whole entry, or empty for a directory, as Micronaut's loader answers. */
    private static Optional<InputStream> readEntry(URL url) throws IOException {
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        // Not the jar protocol's shared cache: that would keep a second handle on the jar open
        // for the life of the process. The zip index itself is shared with the class loader's.
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
            JarEntry entry = connection.getJarEntry();
            if (entry == null || entry.isDirectory()) {
                return Optional.empty();
            }
            try (InputStream in = jar.getInputStream(entry)) {
                return Optional.of(new ByteArrayInputStream(in.readAllBytes()));
            }
        }
    }
}
