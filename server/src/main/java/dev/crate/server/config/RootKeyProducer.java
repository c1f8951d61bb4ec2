package dev.crate.server.config;

import dev.crate.server.crypto.aead.Aead;
import dev.crate.server.crypto.rootkey.InvalidRootKeyException;
import dev.crate.server.crypto.rootkey.Pkcs11RootKeyProvider;
import dev.crate.server.crypto.rootkey.RootKeyProvider;
import dev.crate.server.crypto.rootkey.RootKeyring;
import dev.crate.server.crypto.rootkey.StaticRootKeyProvider;
import dev.crate.server.log.LogId;
import dev.crate.server.support.PrivateFiles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Chooses the root key provider: {@code CRATE_ROOT_KEY}, then {@code CRATE_ROOT_KEY_FILE}, then (only
 * with the embedded database or {@code crate.dev-root-key=true}) a dev key kept in the data directory.
 */
@ApplicationScoped
public class RootKeyProducer {
    private static final Logger LOG = Logger.getLogger(RootKeyProducer.class);
    static final String DEV_KEY_FILE = "root-key.dev";

    @Produces
    @ApplicationScoped
    RootKeyProvider rootKeyProvider(CrateConfig config) {
        List<RootKeyProvider> previous = new ArrayList<>();
        RootKeyProvider active;
        if (config.pkcs11().library().isPresent()) {
            List<Pkcs11RootKeyProvider> keys = pkcs11(config.pkcs11());
            active = keys.get(0);
            previous.addAll(keys.subList(1, keys.size()));
            // An env or file key beside an HSM key is a previous key: moving into the HSM is a root-key rotation.
            staticKey(config).ifPresent(previous::add);
        } else {
            active = single(config);
        }
        for (String key : config.rootKeyPrevious().orElse(List.of())) {
            if (!key.isBlank()) {
                previous.add(StaticRootKeyProvider.fromBase64("CRATE_ROOT_KEY_PREVIOUS", key));
            }
        }
        if (config.rootKeyPreviousFile().isPresent()) {
            for (String line : read(config.rootKeyPreviousFile().get()).split("\\R")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    previous.add(StaticRootKeyProvider.fromBase64("CRATE_ROOT_KEY_PREVIOUS_FILE", line));
                }
            }
        }
        return previous.isEmpty() ? active : new RootKeyring(active, previous);
    }

    private static List<Pkcs11RootKeyProvider> pkcs11(CrateConfig.Pkcs11 config) {
        char[] pin;
        if (config.pinFile().isPresent()) {
            pin = read(config.pinFile().get()).strip().toCharArray();
        } else if (config.pin().isPresent()) {
            pin = config.pin().get().toCharArray();
        } else {
            throw new InvalidRootKeyException(
                    "CRATE_PKCS11_LIBRARY is set but no PIN: set CRATE_PKCS11_PIN_FILE (or CRATE_PKCS11_PIN)");
        }
        try {
            return Pkcs11RootKeyProvider.open(
                    new Pkcs11RootKeyProvider.TokenConfig(
                            config.library().get(), config.slot(), config.slotListIndex(), pin),
                    config.keyLabel(),
                    config.previousKeyLabels().orElse(List.of()),
                    config.generateKey());
        } finally {
            java.util.Arrays.fill(pin, '\0');
        }
    }

    private static java.util.Optional<RootKeyProvider> staticKey(CrateConfig config) {
        if (config.rootKey().isPresent()) {
            return java.util.Optional.of(StaticRootKeyProvider.fromBase64(
                    "CRATE_ROOT_KEY", config.rootKey().get()));
        }
        if (config.rootKeyFile().isPresent()) {
            return java.util.Optional.of(StaticRootKeyProvider.fromBase64(
                    "CRATE_ROOT_KEY_FILE", read(config.rootKeyFile().get())));
        }
        return java.util.Optional.empty();
    }

    private static RootKeyProvider single(CrateConfig config) {
        if (config.rootKey().isPresent()) {
            return StaticRootKeyProvider.fromBase64(
                    "CRATE_ROOT_KEY", config.rootKey().get());
        }
        if (config.rootKeyFile().isPresent()) {
            return StaticRootKeyProvider.fromBase64(
                    "CRATE_ROOT_KEY_FILE", read(config.rootKeyFile().get()));
        }
        if (config.devRootKey() || config.embeddedDatabase()) {
            return devKey(config.dataDir().resolve(DEV_KEY_FILE));
        }
        throw new InvalidRootKeyException("no root key configured: set CRATE_ROOT_KEY (base64 of 32 random bytes, "
                + "e.g. from 'openssl rand -base64 32') or CRATE_ROOT_KEY_FILE. A dev key is generated only for the "
                + "embedded database.");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new InvalidRootKeyException("cannot read the root key file " + file + ": "
                    + e.getClass().getSimpleName());
        }
    }

    private static RootKeyProvider devKey(Path file) {
        if (Files.exists(file)) {
            String text = read(file);
            if (text.isBlank()) {
                // Never a new key in its place: every secret of this data directory is sealed under the old one.
                throw new InvalidRootKeyException("the dev root key file " + file + " is empty (a crash while it was "
                        + "first written?). Crate does not replace it: a new key could not open the stored org keys. "
                        + "Restore the file from a backup; only if this data directory holds no secrets, remove it "
                        + "together with the database");
            }
            return StaticRootKeyProvider.fromBase64("dev key file " + file, text);
        }
        byte[] key = Aead.newKey();
        byte[] line = (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            // mode 0600 from creation, fsync, link into place (never over an existing file), directory fsync
            PrivateFiles.write(file, line, false);
            LogId.DEV_ROOT_KEY_GENERATED.log(LOG, file);
            return StaticRootKeyProvider.fromBase64(
                    "dev key file " + file, Base64.getEncoder().encodeToString(key));
        } catch (IOException e) {
            throw new InvalidRootKeyException("cannot create the dev root key file " + file + " ("
                    + e.getClass().getSimpleName() + "): check that " + file.getParent()
                    + " exists, is writable and has free space");
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
            java.util.Arrays.fill(line, (byte) 0);
        }
    }

    static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // non-POSIX file system: nothing more we can do
        }
    }
}
