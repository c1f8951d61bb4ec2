package dev.crate.server.api.rest;

import dev.crate.protocol.wire.PublicKeyResponse;
import dev.crate.protocol.wire.RetrieveRequest;
import dev.crate.protocol.wire.RetrieveResponse;
import dev.crate.protocol.wire.RollbackRequest;
import dev.crate.protocol.wire.SecretList;
import dev.crate.protocol.wire.SecretMetadata;
import dev.crate.protocol.wire.SecretVersionList;
import dev.crate.protocol.wire.StoreSecretRequest;
import dev.crate.server.secrets.SecretHistoryService;
import dev.crate.server.secrets.SecretService;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/organization/{id}/secrets")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "secrets", description = "Sealed secrets: store, list metadata, retrieve values sealed to a temporary key")
public class SecretsResource {
    private final SecretService secrets;
    private final SecretHistoryService history;
    private final SecurityIdentity identity;

    SecretsResource(SecretService secrets, SecretHistoryService history, SecurityIdentity identity) {
        this.secrets = secrets;
        this.history = history;
        this.identity = identity;
    }

    @PUT
    @Operation(
            operationId = "storeSecret",
            summary = "Store a secret",
            description =
                    "Creates the secret (version 1) or its next version. The value must be sealed "
                            + "to the organization's public key. Given tags replace the secret's tags; omitted tags are kept. With expected_version, "
                            + "the store succeeds only while that is the current version (0: never stored), else 409 version_conflict.")
    public Uni<SecretMetadata> store(@PathParam("id") String orgId, StoreSecretRequest request) {
        return secrets.store(Callers.of(identity), orgId, request);
    }

    @GET
    @Operation(
            operationId = "listSecrets",
            summary = "List secrets",
            description = "Metadata of the secrets of one environment (default dev) that carry all given tags, "
                    + "sorted by name. Never values.")
    public Uni<SecretList> list(
            @PathParam("id") String orgId, @QueryParam("env") String env, @QueryParam("tags") String tags) {
        return secrets.list(Callers.of(identity), orgId, env, tags == null ? List.of() : List.of(tags.split(",")));
    }

    @GET
    @Path("/public-key")
    @Operation(
            operationId = "getPublicKey",
            summary = "Get the organization's sealing key",
            description = "RSA-3072 public key (SPKI PEM) and kid to seal values with.")
    public Uni<PublicKeyResponse> publicKey(@PathParam("id") String orgId) {
        return secrets.publicKey(Callers.of(identity), orgId);
    }

    @POST
    @Path("/retrieve")
    @Operation(
            operationId = "retrieveSecrets",
            summary = "Retrieve secret values, sealed",
            description = "Answers with a JWE encrypted to the temporary client key; "
                    + "its plaintext lists the secrets found and the requested names that were not. versions ({\"NAME\": 3}) asks for older "
                    + "versions. Without names, one page of the environment: at most limit secrets (default and most: "
                    + "CRATE_SECRETS_RETRIEVE_MAX_PAGE, 500) named after after; next, beside the JWE, is the after of the "
                    + "next page and is absent on the last. names and versions hold at most that many names (400 "
                    + "too_many_names); a bad limit or after, or either with names, is 400 invalid_page. Every retrieve "
                    + "(each page) is on the audit trail before any value is decrypted.")
    public Uni<RetrieveResponse> retrieve(@PathParam("id") String orgId, RetrieveRequest request) {
        return secrets.retrieve(Callers.of(identity), orgId, request);
    }

    @DELETE
    @Path("/{name}")
    @Operation(
            operationId = "deleteSecret",
            summary = "Delete a secret",
            description = "Soft delete: gone from list and retrieve, restorable; "
                    + "storing the name again continues its versions. With purge=true, also destroys the data key of every version "
                    + "(crypto-shred): irreversible.")
    public Uni<Void> delete(
            @PathParam("id") String orgId,
            @PathParam("name") String name,
            @QueryParam("env") String env,
            @QueryParam("purge") boolean purge) {
        return purge
                ? history.purge(Callers.of(identity), orgId, name, env)
                : secrets.delete(Callers.of(identity), orgId, name, env);
    }

    @GET
    @Path("/{name}/versions")
    @Operation(
            operationId = "listSecretVersions",
            summary = "List a secret's versions",
            description = "The kept versions, newest first: "
                    + "version, created_at, created_by, tags, destroyed. Also for a deleted secret. Never values.")
    public Uni<SecretVersionList> versions(
            @PathParam("id") String orgId, @PathParam("name") String name, @QueryParam("env") String env) {
        return history.versions(Callers.of(identity), orgId, name, env);
    }

    @POST
    @Path("/{name}/rollback")
    @Operation(
            operationId = "rollbackSecret",
            summary = "Roll a secret back",
            description = "Stores the value of an older version as "
                    + "the next version, under a fresh data key. Needs read and write in the environment.")
    public Uni<SecretMetadata> rollback(
            @PathParam("id") String orgId,
            @PathParam("name") String name,
            @QueryParam("env") String env,
            RollbackRequest request) {
        return history.rollback(Callers.of(identity), orgId, name, env, request);
    }

    @POST
    @Path("/{name}/restore")
    @Operation(
            operationId = "restoreSecret",
            summary = "Restore a deleted secret",
            description = "Undoes a soft delete (a live secret "
                    + "stays as it is). A purged secret cannot be restored: 409 version_destroyed.")
    public Uni<SecretMetadata> restore(
            @PathParam("id") String orgId, @PathParam("name") String name, @QueryParam("env") String env) {
        return history.restore(Callers.of(identity), orgId, name, env);
    }
}
