package dev.crate.server.audit.trail;

import dev.crate.server.audit.AuditChain;
import dev.crate.server.audit.ChainedEvent;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.UUID;

/**
 * Walks one org's records in {@code seq} order from an anchor (the genesis, or the checkpoint left by
 * retention) and names the first link that does not hold: a missing record (a gap in {@code seq}), a
 * record whose {@code prev_hash} is not its predecessor's hash (reordered or replaced), a record whose
 * content no longer gives its hash (edited), or a chain head that names a record no longer there
 * (the tail was cut off).
 */
public final class ChainVerifier {
    private long lastSeq;
    private byte[] lastHash;
    private long checked;

    /** A link that does not hold. */
    public record Break(long seq, UUID id, String reason) {}

    public ChainVerifier(long anchorSeq, byte[] anchorHash) {
        this.lastSeq = anchorSeq;
        this.lastHash = anchorHash.clone();
    }

    public Optional<Break> accept(ChainedEvent event) {
        if (event.seq() != lastSeq + 1) {
            return Optional.of(
                    new Break(lastSeq + 1, null, event.seq() > lastSeq + 1 ? "record_missing" : "out_of_order"));
        }
        if (!MessageDigest.isEqual(event.prevHash(), lastHash)) {
            return Optional.of(new Break(event.seq(), event.id(), "prev_hash_mismatch"));
        }
        byte[] recomputed = AuditChain.hash(event.id(), event.seq(), event.entry(), event.prevHash());
        if (!MessageDigest.isEqual(recomputed, event.hash())) {
            return Optional.of(new Break(event.seq(), event.id(), "hash_mismatch"));
        }
        lastSeq = event.seq();
        lastHash = event.hash().clone();
        checked++;
        return Optional.empty();
    }

    /** After the last record: the chain head must name the record the walk ended on. */
    public Optional<Break> finish(long headSeq, byte[] headHash) {
        if (headSeq != lastSeq || !MessageDigest.isEqual(headHash, lastHash)) {
            return Optional.of(new Break(
                    Math.min(headSeq, lastSeq + 1), null, headSeq > lastSeq ? "record_missing" : "head_mismatch"));
        }
        return Optional.empty();
    }

    public long checked() {
        return checked;
    }

    public long lastSeq() {
        return lastSeq;
    }

    public byte[] lastHash() {
        return lastHash.clone();
    }
}
