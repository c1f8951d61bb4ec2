package dev.crate.server.api.rest;

import dev.crate.server.workload.WorkloadExchangeService;
import dev.crate.server.workload.WorkloadTokenRequest;
import dev.crate.server.workload.WorkloadTokenResponse;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;

/** The token exchange (docs/API.md, section 14): no Crate credential, the platform token is the credential. */
@Path("/auth/workload-token")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "workload-identities")
public class WorkloadTokenResource {
    private final WorkloadExchangeService exchange;

    WorkloadTokenResource(WorkloadExchangeService exchange) {
        this.exchange = exchange;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "exchangeWorkloadToken",
            summary = "Exchange a platform token for a workload token",
            description =
                    "RFC 8693 shaped. Every refusal is 401 workload_token_refused; the reason is in the audit trail.")
    public Uni<WorkloadTokenResponse> exchange(WorkloadTokenRequest request) {
        return exchange.exchange(request, Callers.origin());
    }

    /** The same, as RFC 8693 clients send it. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Uni<WorkloadTokenResponse> exchangeForm(
            @RestForm("subject_token") String subjectToken,
            @RestForm("subject_token_type") String subjectTokenType,
            @RestForm("organization") String organization) {
        return exchange.exchange(
                new WorkloadTokenRequest(subjectToken, subjectTokenType, organization), Callers.origin());
    }
}
