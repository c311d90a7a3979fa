package io.ssegateway.ingress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FifoTest {
    @TempDir
    Path dir;

    @Test
    void aMissingFifoIsCreatedOwnerReadGroupWriteAndAnExistingOneIsKept() throws IOException {
        Path fifo = dir.resolve("in.fifo");
        Fifo.create(fifo);
        assertTrue(Fifo.isFifo(fifo));
        assertEquals("rw--w----", PosixFilePermissions.toString(Files.getPosixFilePermissions(fifo)));
        Fifo.create(fifo);
        assertTrue(Fifo.isFifo(fifo));
    }

    @Test
    void aRegularFileInTheWayIsRefusedAndLeftAlone() throws IOException {
        Path file = Files.writeString(dir.resolve("in.fifo"), "keep me");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Fifo.create(file));
        assertTrue(e.getMessage().contains("is not a FIFO"), e.getMessage());
        assertEquals("keep me", Files.readString(file));
    }

    @Test
    void aDirectoryInTheWayIsRefused() {
        assertThrows(IllegalStateException.class, () -> Fifo.create(dir));
        assertFalse(Fifo.isFifo(dir));
    }

    @Test
    void aMissingParentDirectoryIsCreatedForTheFifo() {
        Path fifo = dir.resolve("no/such/in.fifo");
        Fifo.create(fifo);
        assertTrue(Fifo.isFifo(fifo));
    }

    @Test
    void aParentThatCannotBeADirectorySaysWhatToDo() throws IOException {
        Path file = dir.resolve("plain-file");
        Files.writeString(file, "x");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Fifo.create(file.resolve("in.fifo")));
        assertTrue(e.getMessage().contains("SSE_FIFO_PATH"), e.getMessage());
    }
}
