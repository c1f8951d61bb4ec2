package dev.crate.cli.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crate.cli.client.CliException;
import dev.crate.cli.client.Json;
import dev.crate.cli.client.LeanJson;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * {@code $XDG_CONFIG_HOME/crate} (default {@code ~/.config/crate}): the directory is 0700 and every
 * file in it 0600, written whole through a temporary file so a crash never leaves half a token.
 */
public final class ConfigDir {
    private final Path dir;

    public ConfigDir(Path dir) {
        this.dir = dir;
    }

    public static ConfigDir fromEnvironment(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        // $HOME first, like every other command line tool: Java's user.home comes from the password file.
        String home = env.get("HOME");
        Path base = xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".config");
        return new ConfigDir(base.resolve("crate"));
    }

    public Path path() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    public ObjectNode read(String name) {
        Path file = file(name);
        if (!Files.isRegularFile(file)) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            return (ObjectNode) Json.MAPPER.readTree(file.toFile());
        } catch (IOException | ClassCastException e) {
            throw new CliException(file + " is not valid JSON; fix or delete it");
        }
    }

    /**
     * The file as a {@link LeanJson} object (empty when the file is missing), read without Jackson: the
     * settings and credentials every command consults on the lean path.
     */
    public Map<String, Object> readLean(String name) {
        Path file = file(name);
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            return LeanJson.parseObject(Files.readString(file));
        } catch (IOException | LeanJson.MalformedException e) {
            throw new CliException(file + " is not valid JSON; fix or delete it");
        }
    }

    public void write(String name, ObjectNode content) {
        try {
            ensureDir();
            Path temp = Files.createTempFile(
                    dir,
                    "." + name,
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(temp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(content));
            try {
                Files.move(temp, file(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file(name), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CliException(
                    "cannot write " + file(name) + ": " + e.getClass().getSimpleName());
        }
    }

    public void delete(String name) {
        try {
            Files.deleteIfExists(file(name));
        } catch (IOException e) {
            throw new CliException("cannot delete " + file(name));
        }
    }

    /** Creates the directory 0700, and tightens it when it already exists with looser rights. */
    public void ensureDir() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
}
