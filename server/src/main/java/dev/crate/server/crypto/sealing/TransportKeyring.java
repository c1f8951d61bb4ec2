package dev.crate.server.crypto.sealing;

import java.security.PrivateKey;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The transport keys an org accepts sealed values for: the active (published) key, keys in their
 * grace period after a rotation (by kid, oldest last), and the kids of disabled keys, which are
 * recognised only to tell the client its key has expired.
 */
public record TransportKeyring(
        String activeKid, PrivateKey active, Map<String, PrivateKey> grace, Set<String> disabled) {

    public TransportKeyring {
        grace = Map.copyOf(grace);
        disabled = Set.copyOf(disabled);
    }

    /** The keys a kid-less blob may have been sealed to, active first. */
    List<PrivateKey> candidates() {
        List<PrivateKey> keys = new java.util.ArrayList<>(1 + grace.size());
        keys.add(active);
        keys.addAll(grace.values());
        return keys;
    }

    public boolean knows(String kid) {
        return activeKid.equals(kid) || grace.containsKey(kid) || disabled.contains(kid);
    }

    @Override
    public String toString() {
        return "TransportKeyring[active=" + activeKid + ", grace=" + grace.keySet() + ", disabled=" + disabled + "]";
    }
}
