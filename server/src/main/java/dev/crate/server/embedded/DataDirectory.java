package dev.crate.server.embedded;

import static dev.crate.server.embedded.Messages.ESCAPE_HATCH;
import static dev.crate.server.embedded.Messages.describe;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Crate's data directory as the embedded database uses it: the cluster in {@code pg/}, the server log
 * {@code pg.log}, and {@code pg.lock}, whose lock makes the directory one running Crate's.
 */
final class DataDirectory {

    final Path base;
    final Path pgData;
    final Path logFile;

    private DataDirectory(Path base) {
        this.base = base;
        this.pgData = base.resolve("pg");
        this.logFile = base.resolve("pg.log");
    }

    /** The data directory at base (absolute, normalised), created if needed; it must be writable by this user. */
    static DataDirectory create(Path base) {
        createDataDirectory(base);
        return new DataDirectory(base);
    }

    /** Locks pg.lock for as long as the returned channel stays open; fails if another process holds it. */
    FileChannel lock() {
        return lock(base);
    }

    private static void createDataDirectory(Path base) {
        try {
            Files.createDirectories(base);
        } catch (IOException | SecurityException e) {
            Path blocker = firstNonDirectory(base);
            String why;
            if (blocker != null) {
                why = blocker + " is a file, not a directory";
            } else if (e instanceof AccessDeniedException) {
                why = "permission denied on " + ((AccessDeniedException) e).getFile();
            } else {
                why = describe(e);
            }
            throw new EmbeddedDatabaseException(
                    "Could not create the data directory " + base + " for the embedded "
                            + "PostgreSQL database: " + why
                            + ". Choose a data directory that can be created and written "
                            + "by this user (" + System.getProperty("user.name") + "), " + ESCAPE_HATCH,
                    e);
        }
        if (!Files.isWritable(base)) {
            throw new EmbeddedDatabaseException("The data directory " + base + " for the embedded PostgreSQL "
                    + "database is not writable by this user (" + System.getProperty("user.name") + "). Fix its "
                    + "permissions or choose another data directory, " + ESCAPE_HATCH);
        }
    }

    /** The first existing part of the path that is not a directory (a file in the way), or null. */
    private static Path firstNonDirectory(Path path) {
        for (Path p = path.getRoot(); p != null; ) {
            if (!Files.exists(p)) {
                return null;
            }
            if (!Files.isDirectory(p)) {
                return p;
            }
            if (p.equals(path)) {
                return null;
            }
            p = p.resolve(path.getName(p.getNameCount()));
        }
        return null;
    }

    private static FileChannel lock(Path base) {
        Path lockFile = base.resolve("pg.lock");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return channel;
            }
        } catch (OverlappingFileLockException e) {
            // held by this JVM: fall through to the "in use" message
        } catch (IOException e) {
            closeQuietly(channel);
            throw new EmbeddedDatabaseException(
                    "Could not lock " + lockFile + " for the embedded PostgreSQL "
                            + "database (" + describe(e)
                            + "). Check that the data directory is on a local, writable file "
                            + "system, " + ESCAPE_HATCH,
                    e);
        }
        closeQuietly(channel);
        throw new EmbeddedDatabaseException("The embedded PostgreSQL data directory " + base + " is already in use "
                + "by another running Crate server (" + lockFile + " is locked). Stop that server or give this one "
                + "a different data directory, " + ESCAPE_HATCH);
    }

    static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
