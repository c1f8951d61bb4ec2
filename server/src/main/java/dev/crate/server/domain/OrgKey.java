package dev.crate.server.domain;

import java.util.UUID;

/** An unwrapped org key (tier 2). Lives in memory only; redacts itself. */
public record OrgKey(UUID orgId, int version, byte[] material) {

    @Override
    public String toString() {
        return "OrgKey[org=" + orgId + ", version=" + version + ", material=REDACTED]";
    }
}
