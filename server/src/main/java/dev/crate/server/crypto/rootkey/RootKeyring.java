package dev.crate.server.crypto.rootkey;

import dev.crate.server.crypto.envelope.Envelope;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The active root key plus older ones kept to unwrap org keys until a root-key rotation has re-wrapped
 * them. New org keys are always wrapped by the active key; a blob is unwrapped by whichever key its
 * header names. The previous keys may come from another kind of provider (moving from an env key to
 * an HSM is a root-key rotation like any other).
 */
public final class RootKeyring implements RootKeyProvider {
    private final RootKeyProvider active;
    private final List<RootKeyProvider> previous;

    public RootKeyring(RootKeyProvider active, List<? extends RootKeyProvider> previous) {
        this.active = active;
        List<RootKeyProvider> kept = new ArrayList<>();
        for (RootKeyProvider p : previous) {
            if (!p.kids().contains(active.activeKid())) {
                kept.add(p);
            }
        }
        this.previous = List.copyOf(kept);
    }

    /** The kids configured only to unwrap (not the active one). */
    public Set<String> previousKids() {
        Set<String> kids = new LinkedHashSet<>();
        previous.forEach(p -> kids.addAll(p.kids()));
        kids.remove(active.activeKid());
        return kids;
    }

    @Override
    public String source() {
        if (previous.isEmpty()) {
            return active.source();
        }
        return active.source() + " (previous: "
                + String.join(
                        ", ", previous.stream().map(RootKeyProvider::source).toList()) + ")";
    }

    @Override
    public String activeKid() {
        return active.activeKid();
    }

    @Override
    public Set<String> kids() {
        Set<String> kids = new LinkedHashSet<>(active.kids());
        previous.forEach(p -> kids.addAll(p.kids()));
        return kids;
    }

    @Override
    public byte[] wrap(byte[] orgKey, byte[] context) {
        return active.wrap(orgKey, context);
    }

    @Override
    public byte[] unwrap(byte[] blob, byte[] context) {
        String kid = Envelope.keyId(blob);
        if (active.kids().contains(kid)) {
            return active.unwrap(blob, context);
        }
        for (RootKeyProvider p : previous) {
            if (p.kids().contains(kid)) {
                return p.unwrap(blob, context);
            }
        }
        throw new UnknownRootKeyException(kid);
    }

    @Override
    public String toString() {
        return "RootKeyring[active=" + active.activeKid() + ", previous=" + previousKids() + "]";
    }
}
