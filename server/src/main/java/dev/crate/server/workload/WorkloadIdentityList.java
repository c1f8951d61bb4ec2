package dev.crate.server.workload;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** An organization's bindings, oldest first (the order the exchange tries them in). */
public record WorkloadIdentityList(
        @JsonProperty("workload_identities") List<WorkloadIdentity> workloadIdentities) {}
