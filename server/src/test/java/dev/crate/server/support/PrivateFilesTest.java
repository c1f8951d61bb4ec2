package dev.crate.server.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Key files: 0600 from creation, whole or absent, never over an existing key unless asked. */
class PrivateFilesTest {
    @Test
    void writesA0600FileWithNothingLeftBeside() throws Exception {
        Path dir = Files.createTempDirectory("private-files");
        Path file = dir.resolve("root-key.dev");
        PrivateFiles.write(file, "key\n".getBytes(StandardCharsets.US_ASCII), false);
        assertEquals("key\n", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (Stream<Path> entries = Files.list(dir)) {
            assertEquals(1, entries.count(), "no temporary file left");
        }
    }

    @Test
    void neverReplacesAnExistingFileUnlessAsked() throws Exception {
        Path dir = Files.createTempDirectory("private-files");
        Path file = dir.resolve("root-key.dev");
        Files.writeString(file, "old");
        assertThrows(
                FileAlreadyExistsException.class,
                () -> PrivateFiles.write(file, "new".getBytes(StandardCharsets.US_ASCII), false));
        assertEquals("old", Files.readString(file));
        PrivateFiles.write(file, "new".getBytes(StandardCharsets.US_ASCII), true);
        assertArrayEquals("new".getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (Stream<Path> entries = Files.list(dir)) {
            assertEquals(1, entries.count(), "no temporary file left");
        }
    }
}
