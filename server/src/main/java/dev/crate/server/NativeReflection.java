package dev.crate.server;

import dev.crate.protocol.Problem;
import dev.crate.protocol.wire.ApiKey;
import dev.crate.protocol.wire.ApiKeyList;
import dev.crate.protocol.wire.CreateApiKeyRequest;
import dev.crate.protocol.wire.CreateEnvironmentRequest;
import dev.crate.protocol.wire.CreateOrganizationRequest;
import dev.crate.protocol.wire.CreatedApiKey;
import dev.crate.protocol.wire.CreatedOrganization;
import dev.crate.protocol.wire.Environment;
import dev.crate.protocol.wire.EnvironmentList;
import dev.crate.protocol.wire.Organization;
import dev.crate.protocol.wire.OrganizationList;
import dev.crate.protocol.wire.PublicKeyResponse;
import dev.crate.protocol.wire.RetrieveRequest;
import dev.crate.protocol.wire.RetrieveResponse;
import dev.crate.protocol.wire.RetrievedPayload;
import dev.crate.protocol.wire.RetrievedSecret;
import dev.crate.protocol.wire.SecretList;
import dev.crate.protocol.wire.SecretMetadata;
import dev.crate.protocol.wire.StoreSecretRequest;
import dev.crate.protocol.wire.Tag;
import dev.crate.protocol.wire.TagList;
import dev.crate.protocol.wire.TagMetadata;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The protocol module is plain Java, so Quarkus does not see its records as REST types everywhere
 * they are (de)serialized: nested ones, the retrieve payload written by hand, problems written by the
 * HTTP-level filter. A native image needs them registered for reflection; {@code NativeReflectionTest}
 * keeps this list equal to the records in {@code dev.crate.protocol.wire}.
 */
@RegisterForReflection(
        targets = {
            Problem.class,
            ApiKey.class,
            ApiKeyList.class,
            CreateApiKeyRequest.class,
            CreateEnvironmentRequest.class,
            CreateOrganizationRequest.class,
            CreatedApiKey.class,
            CreatedOrganization.class,
            Environment.class,
            EnvironmentList.class,
            Organization.class,
            OrganizationList.class,
            PublicKeyResponse.class,
            RetrieveRequest.class,
            RetrieveResponse.class,
            RetrievedPayload.class,
            RetrievedSecret.class,
            SecretList.class,
            SecretMetadata.class,
            StoreSecretRequest.class,
            Tag.class,
            TagList.class,
            TagMetadata.class,
            dev.crate.protocol.wire.KeyRotation.class,
            dev.crate.protocol.wire.KeyStatus.class,
            dev.crate.protocol.wire.OrgKeyVersion.class,
            dev.crate.protocol.wire.RewrapProgress.class,
            dev.crate.protocol.wire.RootKeyInfo.class,
            dev.crate.protocol.wire.RootKeyStatus.class,
            dev.crate.protocol.wire.RotateKeysRequest.class,
            dev.crate.protocol.wire.RotationSchedule.class,
            dev.crate.protocol.wire.TransportKeyInfo.class,
            dev.crate.protocol.wire.AddMemberRequest.class,
            dev.crate.protocol.wire.AuthConfig.class,
            dev.crate.protocol.wire.Me.class,
            dev.crate.protocol.wire.Membership.class,
            dev.crate.protocol.wire.Member.class,
            dev.crate.protocol.wire.MemberList.class,
            dev.crate.protocol.wire.UpdateMemberRequest.class,
            dev.crate.protocol.wire.SecretVersion.class,
            dev.crate.protocol.wire.SecretVersionList.class,
            dev.crate.protocol.wire.SecretChange.class,
            dev.crate.protocol.wire.RollbackRequest.class,
            dev.crate.protocol.wire.AuditEvent.class,
            dev.crate.protocol.wire.AuditEventList.class,
            dev.crate.protocol.wire.AuditVerification.class,
            dev.crate.protocol.wire.AuditChainBreak.class
        })
final class NativeReflection {
    private NativeReflection() {}
}
