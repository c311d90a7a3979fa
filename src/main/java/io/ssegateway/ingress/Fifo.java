package io.ssegateway.ingress;

import io.micronaut.core.annotation.Internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/** Creating and checking a named pipe, which the JDK cannot do by itself. */
@Internal
final class Fifo {
    /** Owner reads, the group may write: a sidecar sharing the group (Kubernetes fsGroup) can publish. */
    static final String MODE = "0620";
    /** Only the owner lists the directory; the group may pass through it to the FIFO. */
    static final String DIRECTORY_MODE = "rwxr-x---";
    private static final long MKFIFO_TIMEOUT_SECONDS = 10;
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;

    private Fifo() {
    }

    /**
     * Creates the FIFO with {@link #MODE} unless it exists, and its directory with
     * {@link #DIRECTORY_MODE} when that is missing (the README's /var/run/sse is not there on a
     * fresh machine); fails clearly if something other than a FIFO is there.
     */
    static void create(Path path) {
        createDirectory(path.toAbsolutePath().getParent());
        if (!Files.exists(path)) {
            mkfifo(path);
        }
        if (!isFifo(path)) {
            throw new IllegalStateException(path + " exists and is not a FIFO; remove it or set SSE_FIFO_PATH to another path");
        }
    }

    /** Opening read-write never waits for a partner on Linux, and creates nothing. */
    static FileChannel openReadWrite(Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    static boolean isFifo(Path path) {
        try {
            return ((Integer) Files.getAttribute(path, "unix:mode") & S_IFMT) == S_IFIFO;
        } catch (UnsupportedOperationException e) {
            try {
                return Files.readAttributes(path, BasicFileAttributes.class).isOther();
            } catch (IOException io) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static void createDirectory(Path dir) {
        if (dir == null || Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(DIRECTORY_MODE)));
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot create the directory " + dir + " for SSE_FIFO_PATH (" + e
                    + "); create it, or set SSE_FIFO_PATH to a path in a directory that exists", e);
        }
    }

    private static void mkfifo(Path path) {
        String output;
        int status;
        try {
            Process p = new ProcessBuilder("mkfifo", "-m", MODE, "--", path.toString())
                    .redirectErrorStream(true)
                    .start();
            if (!p.waitFor(MKFIFO_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("mkfifo " + path + " did not finish within " + MKFIFO_TIMEOUT_SECONDS + "s");
            }
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            status = p.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run mkfifo to create " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + path, e);
        }
        // Another process may have created it meanwhile; what counts is what is there now.
        if (status != 0 && !isFifo(path)) {
            throw new IllegalStateException("mkfifo " + path + " failed: " + output);
        }
    }
}
