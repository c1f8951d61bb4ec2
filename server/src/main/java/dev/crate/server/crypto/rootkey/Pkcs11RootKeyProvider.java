package dev.crate.server.crypto.rootkey;

import dev.crate.server.crypto.aead.Aead;
import dev.crate.server.crypto.envelope.Envelope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

/**
 * A root key that lives in a PKCS#11 token (an HSM, or SoftHSM2 for tests) through Java's SunPKCS11
 * provider. The AES-256 key object is found by its label (CKA_LABEL); org keys are wrapped and
 * unwrapped with AES-GCM inside the token, so the root key never enters this process. When asked to,
 * it generates the key in the token as sensitive and non-extractable. Its kid is {@code hsm-<label>}.
 */
public final class Pkcs11RootKeyProvider implements RootKeyProvider {
    private final Provider provider;
    private final Key key;
    private final String label;
    private final String kid;

    private Pkcs11RootKeyProvider(Provider provider, Key key, String label) {
        this.provider = provider;
        this.key = key;
        this.label = label;
        this.kid = kidOf(label);
    }

    public static String kidOf(String label) {
        return "hsm-" + label;
    }

    /** Where the token is and how to log in. */
    public record TokenConfig(String library, Optional<Integer> slot, Optional<Integer> slotListIndex, char[] pin) {
        @Override
        public String toString() {
            return "TokenConfig[library=" + library + ", slot=" + slot + ", slotListIndex=" + slotListIndex
                    + ", pin=REDACTED]";
        }
    }

    /**
     * Logs in to the token and finds the key labelled {@code activeLabel} (generated when missing and
     * {@code generate} is set) and the keys of {@code previousLabels}. The first element is the active key.
     */
    public static List<Pkcs11RootKeyProvider> open(
            TokenConfig config, String activeLabel, List<String> previousLabels, boolean generate) {
        if (!Files.isRegularFile(Path.of(config.library()))) {
            throw new InvalidRootKeyException("the PKCS#11 module " + config.library() + " does not exist");
        }
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            throw new InvalidRootKeyException("this Java runtime has no SunPKCS11 provider");
        }
        StringBuilder cfg = new StringBuilder("--name=crate\nlibrary=")
                .append(config.library())
                .append('\n');
        if (config.slot().isPresent()) {
            cfg.append("slot=").append(config.slot().get()).append('\n');
        } else {
            cfg.append("slotListIndex=")
                    .append(config.slotListIndex().orElse(0))
                    .append('\n');
        }
        // Keys this provider generates stay in the token: sensitive, never extractable.
        cfg.append(
                "attributes(generate, CKO_SECRET_KEY, CKK_AES) = {\n  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n"
                        + "  CKA_ENCRYPT = true\n  CKA_DECRYPT = true\n}\n");
        Provider provider;
        KeyStore store;
        try {
            provider = base.configure(cfg.toString());
            store = KeyStore.getInstance("PKCS11", provider);
            store.load(null, config.pin());
        } catch (Exception e) {
            throw new InvalidRootKeyException(
                    "cannot log in to the PKCS#11 token (module " + config.library() + ", slot "
                            + config.slot()
                                    .map(String::valueOf)
                                    .orElse("index " + config.slotListIndex().orElse(0)) + "): "
                            + rootCause(e));
        }
        List<Pkcs11RootKeyProvider> keys = new ArrayList<>();
        keys.add(new Pkcs11RootKeyProvider(provider, find(provider, store, activeLabel, generate), activeLabel));
        for (String label : previousLabels) {
            if (!label.isBlank() && !label.equals(activeLabel)) {
                keys.add(new Pkcs11RootKeyProvider(provider, find(provider, store, label.trim(), false), label.trim()));
            }
        }
        return keys;
    }

    private static Key find(Provider provider, KeyStore store, String label, boolean generate) {
        try {
            Key key = store.getKey(label, null);
            if (key == null && generate) {
                KeyGenerator generator = KeyGenerator.getInstance("AES", provider);
                generator.init(256);
                SecretKey sessionKey = generator.generateKey();
                store.setEntry(label, new KeyStore.SecretKeyEntry(sessionKey), null);
                key = store.getKey(label, null);
            }
            if (key == null) {
                throw new InvalidRootKeyException("the PKCS#11 token has no key labelled '" + label + "' (root key "
                        + kidOf(label) + "); create it in the token or set CRATE_PKCS11_GENERATE_KEY=true");
            }
            if (!"AES".equalsIgnoreCase(key.getAlgorithm())) {
                throw new InvalidRootKeyException("the PKCS#11 object labelled '" + label + "' is not an AES key");
            }
            return key;
        } catch (InvalidRootKeyException e) {
            throw e;
        } catch (Exception e) {
            throw new InvalidRootKeyException("cannot use the PKCS#11 key labelled '" + label + "': " + rootCause(e));
        }
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        // Class name and PKCS#11 return code (CKR_...) only: never a PIN.
        String message = cause.getMessage() == null ? "" : cause.getMessage();
        return cause.getClass().getSimpleName() + (message.startsWith("CKR_") ? " " + message : "");
    }

    /** True when the token reports the key as extractable (never for keys this provider generates). */
    public boolean extractable() {
        return key.getEncoded() != null;
    }

    @Override
    public String source() {
        return "PKCS#11 token, key '" + label + "'";
    }

    @Override
    public String activeKid() {
        return kid;
    }

    @Override
    public Set<String> kids() {
        return Set.of(kid);
    }

    @Override
    public byte[] wrap(byte[] orgKey, byte[] context) {
        return Envelope.sealWith(kid, orgKey, context, (plaintext, aad) -> Aead.seal(provider, key, plaintext, aad));
    }

    @Override
    public byte[] unwrap(byte[] blob, byte[] context) {
        String blobKid = Envelope.keyId(blob);
        if (!kid.equals(blobKid)) {
            throw new UnknownRootKeyException(blobKid);
        }
        return Envelope.openWith(blob, context, (body, aad) -> Aead.open(provider, key, body, aad));
    }

    @Override
    public String toString() {
        return "Pkcs11RootKeyProvider[kid=" + kid + "]";
    }
}
