package dev.crate.server.embedded;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The data directory: one that cannot be created is explained, and only one server may use it at a time. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DataDirectoryTest {

    @TempDir
    Path tmp;

    @Test
    void explainsADataDirThatCannotBeCreated() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-directory"), "x");
        Path dataDir = file.resolve("data");

        EmbeddedDatabaseException e =
                assertThrows(EmbeddedDatabaseException.class, () -> EmbeddedDatabase.start(dataDir));

        assertTrue(e.getMessage().contains(dataDir.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
        assertTrue(e.getMessage().contains("CRATE_DB_URL"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one paragraph: " + e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), "no stack-trace talk: " + e.getMessage());
    }

    @Test
    void refusesASecondServerOnTheSameDataDir() {
        Path dataDir = tmp.resolve("data");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir)) {
            EmbeddedDatabaseException e =
                    assertThrows(EmbeddedDatabaseException.class, () -> EmbeddedDatabase.start(dataDir));
            assertTrue(e.getMessage().contains("already in use"), e.getMessage());
        }
    }
}
