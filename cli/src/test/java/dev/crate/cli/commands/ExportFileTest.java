package dev.crate.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.crate.cli.output.Dotenv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code secrets export --file F}: F ends up 0600 with the values, whatever F was before. */
class ExportFileTest {
    @TempDir
    Path dir;

    private StubServer server;

    @BeforeEach
    void start() throws Exception {
        server = new StubServer();
        server.secrets.put("API_KEY", "canary-export-5d2e");
        server.secrets.put("QUOTED", "it's $(touch marker)");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Headless.Result export(Path file) {
        return Headless.run(
                Map.of(
                        "HOME", dir.toString(),
                        "XDG_CONFIG_HOME", dir.resolve("config").toString(),
                        "CRATE_SERVER", server.url(),
                        "CRATE_TOKEN", "crate_test",
                        "CRATE_ORG", StubServer.ORG),
                dir,
                "secrets",
                "export",
                "--file",
                file.toString());
    }

    @Test
    void anExistingWorldReadableFileIsReplacedByAPrivateOne() throws Exception {
        Path file = dir.resolve("backup.env");
        Files.writeString(file, "OLD=value\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Path otherName = dir.resolve("hard-link-to-the-old-file");
        Files.createLink(otherName, file);

        Headless.Result r = export(file);

        assertEquals(0, r.exit(), r.all());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(server.secrets, Dotenv.read(Files.readString(file)));
        assertEquals("OLD=value\n", Files.readString(otherName), "the old inode was replaced, not written into");
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void aNewFileIsPrivateFromTheStart() throws Exception {
        Path file = dir.resolve("new.env");
        Headless.Result r = export(file);
        assertEquals(0, r.exit(), r.all());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(server.secrets, Dotenv.read(Files.readString(file)));
    }
}
