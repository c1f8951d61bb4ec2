package dev.crate.server.embedded;

import static dev.crate.server.embedded.FileOps.currentUid;
import static dev.crate.server.embedded.FileOps.deleteQuietly;
import static dev.crate.server.embedded.FileOps.writePrivateFile;
import static dev.crate.server.embedded.Messages.ESCAPE_HATCH;
import static dev.crate.server.embedded.Messages.describe;
import static dev.crate.server.embedded.Passwords.isValidPassword;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The file {@code <dataDir>/pg-password} that keeps the superuser's password, mode 0600 and owned by the JVM's
 * user (also when PostgreSQL runs as another account, so that account cannot read it). A file that is missing,
 * not private or not holding a valid password is not trusted: the cluster then gets a new password.
 */
final class PasswordFile {

    /** The name of the file in the data directory that keeps the superuser's password. */
    static final String PASSWORD_FILE = "pg-password";

    /** What {@link #read()} found: the password, or (password null) why the file cannot be used. */
    record Reading(String password, String problem) {
        static Reading usable(String password) {
            return new Reading(password, null);
        }

        static Reading unusable(String problem) {
            return new Reading(null, problem);
        }
    }

    private final Path base;
    final Path path;

    PasswordFile(Path base) {
        this.base = base;
        this.path = base.resolve(PASSWORD_FILE);
    }

    /** Reads the password file; a problem means the password has to be set anew. */
    Reading read() {
        Map<String, Object> attrs;
        try {
            attrs = Files.readAttributes(path, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Reading.unusable("there is no " + path + " (a database cluster created with trust "
                    + "authentication by an earlier version of Crate, or the file was lost)");
        } catch (IOException | UnsupportedOperationException e) {
            return Reading.unusable("could not read " + path + " (" + describe(e) + ")");
        }
        int mode = (Integer) attrs.get("mode");
        long uid = ((Integer) attrs.get("uid")).longValue();
        if ((mode & 0170000) != 0100000) {
            return Reading.unusable(path + " is not a regular file");
        }
        if (uid != currentUid()) {
            return Reading.unusable(path + " is owned by uid " + uid + ", not by this user (uid " + currentUid() + ")");
        }
        if ((mode & 0077) != 0) {
            return Reading.unusable(
                    path + " was accessible to other users (mode " + String.format("%04o", mode & 07777) + ")");
        }
        String content;
        try {
            content = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Reading.unusable("could not read " + path + " (" + describe(e) + ")");
        }
        String candidate = content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
        if (!isValidPassword(candidate)) {
            return Reading.unusable(path + " does not hold a valid password");
        }
        return Reading.usable(candidate);
    }

    /** Keeps the password in the password file (mode 0600, owned by this user), replacing it atomically. */
    void store(String newPassword) {
        Path pending = base.resolve(PASSWORD_FILE + ".new");
        try {
            writePrivateFile(pending, newPassword + "\n");
            Files.move(pending, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            FileOps.fsyncDirectory(base);
        } catch (IOException e) {
            deleteQuietly(pending);
            throw new EmbeddedDatabaseException(
                    "Could not write the password file " + path
                            + " of the embedded PostgreSQL database (" + describe(e) + "). Check the permissions of "
                            + base + " and that nothing else is in the way there, " + ESCAPE_HATCH,
                    e);
        }
    }
}
