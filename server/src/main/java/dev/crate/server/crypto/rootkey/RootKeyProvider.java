package dev.crate.server.crypto.rootkey;

import java.util.Set;

/**
 * Tier 1 of the key hierarchy: wraps and unwraps org keys. Implementations may keep the root key in
 * process memory (env, file, dev) or never let it leave a device (PKCS#11); callers see only blobs.
 */
public interface RootKeyProvider {

    /** Where the key comes from, for logs and health: "env", "file", "dev", ... */
    String source();

    /** The kid new org keys are wrapped under. */
    String activeKid();

    /** Every kid this provider can unwrap. */
    Set<String> kids();

    /** Wraps an org key; the blob's header names {@link #activeKid()}. */
    byte[] wrap(byte[] orgKey, byte[] context);

    /**
     * Unwraps an org key.
     *
     * @throws UnknownRootKeyException when the blob names a kid this provider does not have
     * @throws dev.crate.server.crypto.aead.DecryptionException when the blob does not authenticate
     */
    byte[] unwrap(byte[] blob, byte[] context);
}
