package dev.crate.server.crypto.sealing;

import dev.crate.protocol.sealing.Destination;
import dev.crate.protocol.sealing.Sealing;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAKey;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;

/**
 * Opens values sealed to an org's transport keys: base64 RSA-OAEP-256 (no kid) or a JWE compact
 * serialization ({@code RSA-OAEP-256} + {@code A256GCM}) whose kid selects the key.
 *
 * <p>A JWE naming the active key or a key in its grace period is opened with that key; one naming a
 * disabled key of the org fails with {@link StaleTransportKeyException} (the client must fetch the new
 * public key); an unknown kid is tried with the active key. A kid-less base64 blob is tried with the
 * active key, then each grace key.
 *
 * <p>Destination binding (docs/API.md, section 6): a JWE names its destination in the
 * protected-header claims {@code crate_org}, {@code crate_env}, {@code crate_name}; they are compared with the
 * request's destination before anything is decrypted (a mismatch is {@link SealedValueMismatchException}), and
 * AES-GCM authenticates them when the value is opened, so a header edited to match fails to open. A raw value
 * bound to its destination opens only with the OAEP label of that destination; a label for another
 * destination fails like any damaged value ({@link InvalidSealedValueException}: RSA-OAEP cannot tell them
 * apart). Unbound values (no claims, no label) open only when the caller says the org allows them.
 *
 * <p>Timing: a failing JWE costs one RSA private operation, whatever went wrong; a failing base64 blob
 * costs one per candidate key (one when no key is in its grace period), the accepted labels being checked
 * on the result of that one operation ({@link RsaOaep}). Both end in the same
 * {@link InvalidSealedValueException}; so the time tells neither why a value failed nor which padding
 * check rejected it. The trade-off: during a grace period a failing base64 blob costs one RSA operation
 * per accepted key, and a success under a grace key takes longer than one under the active key
 * (which says only which public key the client used: public information).
 */
public final class SealedValueOpener {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SealedValueOpener() {}

    /** The kid of a JWE compact serialization, if the value is one and names a kid; no cryptography. */
    public static Optional<String> kidOf(String encoded) {
        if (encoded == null || encoded.chars().filter(c -> c == '.').count() != 4) {
            return Optional.empty();
        }
        try {
            JsonWebEncryption jwe = new JsonWebEncryption();
            jwe.setCompactSerialization(encoded);
            return Optional.ofNullable(jwe.getKeyIdHeaderValue());
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** What was opened, and whether it was bound to its destination. */
    public record Opened(byte[] value, boolean bound) {}

    /** Opens an unbound value with the org's active key alone (no key in a grace period); for tests. */
    public static byte[] open(String encoded, PrivateKey active) {
        return open(encoded, new TransportKeyring("", active, java.util.Map.of(), java.util.Set.of()));
    }

    /** Opens an unbound value (no destination claims or label); for tests. */
    public static byte[] open(String encoded, TransportKeyring keys) {
        return open(encoded, keys, null, true).value();
    }

    /**
     * Opens {@code encoded} for {@code destination} (null: accept only unbound values). Unbound values are
     * opened only when {@code allowUnbound}.
     */
    public static Opened open(String encoded, TransportKeyring keys, Destination destination, boolean allowUnbound) {
        List<PrivateKey> candidates = keys.candidates();
        int rsaDone = 0;
        int budget = 1;
        try {
            if (encoded == null || encoded.isEmpty()) {
                throw new InvalidSealedValueException();
            }
            if (encoded.chars().filter(c -> c == '.').count() == 4) {
                JsonWebEncryption jwe = new JsonWebEncryption();
                jwe.setAlgorithmConstraints(new AlgorithmConstraints(
                        AlgorithmConstraints.ConstraintType.PERMIT, KeyManagementAlgorithmIdentifiers.RSA_OAEP_256));
                jwe.setContentEncryptionAlgorithmConstraints(new AlgorithmConstraints(
                        AlgorithmConstraints.ConstraintType.PERMIT, ContentEncryptionAlgorithmIdentifiers.AES_256_GCM));
                jwe.setCompactSerialization(encoded);
                String kid = jwe.getKeyIdHeaderValue();
                if (kid != null && keys.disabled().contains(kid)) {
                    throw new StaleTransportKeyException();
                }
                boolean bound = checkClaims(jwe, destination, allowUnbound);
                PrivateKey key = kid == null ? keys.active() : keys.grace().getOrDefault(kid, keys.active());
                jwe.setKey(key);
                rsaDone = 1;
                return new Opened(jwe.getPlaintextBytes(), bound);
            }
            // one RSA private operation per candidate key, then the labels the value may carry (RsaOaep)
            byte[] bound = destination == null ? null : label(Sealing.oaep(destination));
            budget = candidates.size();
            byte[] ciphertext = Base64.getDecoder().decode(encoded.trim());
            for (PrivateKey key : candidates) {
                rsaDone++;
                byte[] em;
                try {
                    em = RsaOaep.privateOperation(key, ciphertext);
                } catch (GeneralSecurityException notOneBlock) {
                    continue;
                }
                byte[] value = bound == null ? null : RsaOaep.decode(em, bound);
                if (value != null) {
                    return new Opened(value, true);
                }
                value = allowUnbound ? RsaOaep.decode(em, new byte[0]) : null;
                if (value != null) {
                    return new Opened(value, false);
                }
            }
            throw new InvalidSealedValueException();
        } catch (StaleTransportKeyException e) {
            throw e;
        } catch (SealedValueMismatchException e) {
            burnOneRsaOperation(keys.active());
            throw e;
        } catch (Exception e) {
            for (int i = rsaDone; i < budget; i++) {
                burnOneRsaOperation(keys.active());
            }
            throw new InvalidSealedValueException();
        }
    }

    /** The label bytes of OAEP parameters. */
    private static byte[] label(OAEPParameterSpec spec) {
        return ((PSource.PSpecified) spec.getPSource()).getValue();
    }

    /**
     * Compares a JWE's destination claims with the request's: true when bound and matching, false when it
     * has none and unbound values are allowed; otherwise a {@link SealedValueMismatchException}. Any one
     * claim present makes the value bound (all three must then match).
     */
    private static boolean checkClaims(JsonWebEncryption jwe, Destination destination, boolean allowUnbound) {
        Object org = jwe.getHeaders().getObjectHeaderValue(Destination.HEADER_ORG);
        Object env = jwe.getHeaders().getObjectHeaderValue(Destination.HEADER_ENVIRONMENT);
        Object name = jwe.getHeaders().getObjectHeaderValue(Destination.HEADER_NAME);
        if (org == null && env == null && name == null) {
            if (!allowUnbound) {
                throw new SealedValueMismatchException(true);
            }
            return false;
        }
        if (destination == null
                || !destination.org().equals(org)
                || !destination.environment().equals(env)
                || !destination.name().equals(name)) {
            throw new SealedValueMismatchException(false);
        }
        return true;
    }

    /** Spends the time of the RSA decryption an early failure skipped. */
    private static void burnOneRsaOperation(PrivateKey key) {
        try {
            int bytes = ((RSAKey) key).getModulus().bitLength() / 8;
            byte[] block = new byte[bytes];
            RANDOM.nextBytes(block);
            block[0] = 0;
            Cipher cipher = Cipher.getInstance(Sealing.OAEP_TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, Sealing.OAEP_SHA256);
            cipher.doFinal(block);
        } catch (GeneralSecurityException | RuntimeException expected) {
            // the point was the time spent
        }
    }
}
