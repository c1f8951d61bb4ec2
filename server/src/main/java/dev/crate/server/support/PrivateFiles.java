package dev.crate.server.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * Files only their owner may read (a dev root key, a bootstrap key), written so that a crash cannot
 * leave them empty or half-written: a temporary file created with mode 0600 from the start (never
 * readable by others, not even for a moment), written, fsync-ed, then renamed into place, and the
 * directory fsync-ed so that the rename itself survives a crash (docs/SECURITY.md, section 1).
 */
public final class PrivateFiles {
    private PrivateFiles() {}

    /**
     * Writes {@code content} to {@code file}. With {@code replace} false an existing file is never
     * touched ({@link FileAlreadyExistsException}): the new file is linked into place, which fails if the
     * name exists, and only then does it count as written.
     */
    public static void write(Path file, byte[] content, boolean replace) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(
                    temp,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            if (replace) {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.createLink(file, temp);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        fsyncDirectory(dir);
    }

    /** fsync of a directory, so that a rename or a new name in it is on disk. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
