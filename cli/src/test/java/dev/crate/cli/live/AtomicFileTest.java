package dev.crate.cli.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void aNewFileIsOwnerReadableOnly() throws Exception {
        Path file = dir.resolve("secrets.env");
        AtomicFile.write(file, "A='1'\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("A='1'\n", Files.readString(file));
    }

    @Test
    void replacingAWiderFileLeavesItOwnerReadableOnly() throws Exception {
        Path file = dir.resolve("secrets.env");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        AtomicFile.write(file, "new".getBytes(StandardCharsets.UTF_8));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("new", Files.readString(file));
    }

    @Test
    void leavesNoTemporaryFileBehind() throws Exception {
        Path file = dir.resolve("out.json");
        AtomicFile.write(file, "{}".getBytes(StandardCharsets.UTF_8));
        AtomicFile.write(file, "{\"A\":\"1\"}".getBytes(StandardCharsets.UTF_8));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void refusesADirectoryThatDoesNotExist() {
        assertThrows(IOException.class, () -> AtomicFile.checkWritable(dir.resolve("missing/out.env")));
    }
}
