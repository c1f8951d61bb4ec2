package dev.crate.server.api.grpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.wire.RetrieveRequest;
import dev.crate.protocol.wire.StoreSecretRequest;
import dev.crate.server.api.grpc.v1.Environment;
import dev.crate.server.api.grpc.v1.PublicKey;
import dev.crate.server.api.grpc.v1.RetrieveSecretsRequest;
import dev.crate.server.api.grpc.v1.SecretMetadata;
import dev.crate.server.api.grpc.v1.SecretVersion;
import dev.crate.server.api.grpc.v1.SecretVersionList;
import dev.crate.server.api.grpc.v1.Tag;
import dev.crate.server.api.grpc.v1.TagMetadata;
import dev.crate.server.domain.CrateException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Protobuf messages to and from the wire records the services take, so that gRPC and REST hand the
 * services the same values. proto3 has no null: an empty string means "not given" where REST allows
 * an absent field.
 */
final class GrpcMessages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GrpcMessages() {}

    static String optional(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    static StoreSecretRequest store(dev.crate.server.api.grpc.v1.StoreSecretRequest request) {
        return new StoreSecretRequest(
                request.getName(),
                optional(request.getEnvironment()),
                request.getEncryptedValue(),
                request.getSealed(),
                request.hasTags() ? List.copyOf(request.getTags().getNamesList()) : null,
                request.hasExpectedVersion() ? request.getExpectedVersion() : null);
    }

    /** Each tag is its own entry: one holding a comma is refused, as REST's "a,b" filter could not carry it. */
    static List<String> tagFilter(List<String> tags) {
        for (String tag : tags) {
            if (tag.contains(",")) {
                throw new CrateException(ErrorCode.INVALID_TAG, "a tag holds no ','; give each tag as its own entry");
            }
        }
        return List.copyOf(tags);
    }

    /** The field number of the former {@code repeated string names}, now reserved. */
    private static final int FORMER_NAMES_FIELD = 3;

    static RetrieveRequest retrieve(RetrieveSecretsRequest request) {
        if (request.getUnknownFields().hasField(FORMER_NAMES_FIELD)) {
            // An older client's name filter would otherwise be dropped silently and widen the retrieve to every secret.
            throw new CrateException(
                    ErrorCode.MALFORMED_REQUEST,
                    "field 3 (repeated names) is no longer read: give the names as names (field 9, SecretNames)");
        }
        String pem = request.getClientKeyCase() == RetrieveSecretsRequest.ClientKeyCase.CLIENT_PUBLIC_KEY_PEM
                ? request.getClientPublicKeyPem()
                : null;
        Map<String, Object> jwk = request.hasClientPublicJwk() ? jwk(request.getClientPublicJwk()) : null;
        return new RetrieveRequest(
                optional(request.getEnvironment()),
                request.hasNames() ? List.copyOf(request.getNames().getNamesList()) : null,
                request.getTagsCount() == 0 ? null : List.copyOf(request.getTagsList()),
                pem,
                jwk,
                optional(request.getEnc()),
                request.getVersionsCount() == 0 ? null : Map.copyOf(request.getVersionsMap()),
                // proto3 cannot tell 0 from absent: 0 is the server's page bound, as an absent REST limit
                request.getLimit() == 0 ? null : request.getLimit(),
                optional(request.getAfter()));
    }

    /** The JWK as the JSON object REST would have parsed. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> jwk(Struct struct) {
        try {
            return JSON.readValue(JsonFormat.printer().print(struct), Map.class);
        } catch (java.io.IOException e) {
            throw new CrateException(ErrorCode.INVALID_CLIENT_KEY, "client_public_jwk is not a valid RSA or EC JWK");
        }
    }

    static SecretMetadata metadata(dev.crate.protocol.wire.SecretMetadata metadata) {
        return SecretMetadata.newBuilder()
                .setName(metadata.name())
                .setEnvironment(metadata.environment())
                .setVersion(metadata.version())
                .addAllTags(metadata.tags())
                .setUpdatedAt(timestamp(metadata.updatedAt()))
                .build();
    }

    static SecretVersionList versions(dev.crate.protocol.wire.SecretVersionList list) {
        SecretVersionList.Builder builder = SecretVersionList.newBuilder()
                .setName(list.name())
                .setEnvironment(list.environment())
                .setCurrentVersion(list.currentVersion())
                .setDeleted(list.deleted())
                .setPurged(list.purged());
        for (dev.crate.protocol.wire.SecretVersion version : list.versions()) {
            SecretVersion.Builder row = SecretVersion.newBuilder()
                    .setVersion(version.version())
                    .addAllTags(version.tags())
                    .setDestroyed(version.destroyed());
            if (version.createdAt() != null) {
                row.setCreatedAt(timestamp(version.createdAt()));
            }
            if (version.createdBy() != null) {
                row.setCreatedBy(version.createdBy());
            }
            builder.addVersions(row);
        }
        return builder.build();
    }

    static PublicKey publicKey(dev.crate.protocol.wire.PublicKeyResponse key) {
        return PublicKey.newBuilder()
                .setPublicKeyPem(key.publicKeyPem())
                .setKid(key.kid())
                .setAlgorithm(key.algorithm())
                .build();
    }

    static Tag tag(dev.crate.protocol.wire.Tag tag) {
        TagMetadata.Builder metadata = TagMetadata.newBuilder();
        if (tag.metadata() != null) {
            if (tag.metadata().color() != null) {
                metadata.setColor(tag.metadata().color());
            }
            if (tag.metadata().description() != null) {
                metadata.setDescription(tag.metadata().description());
            }
        }
        return Tag.newBuilder().setName(tag.name()).setMetadata(metadata).build();
    }

    static dev.crate.protocol.wire.TagMetadata tagMetadata(TagMetadata metadata) {
        return new dev.crate.protocol.wire.TagMetadata(
                optional(metadata.getColor()), optional(metadata.getDescription()));
    }

    static Environment environment(dev.crate.protocol.wire.Environment environment) {
        Environment.Builder builder =
                Environment.newBuilder().setName(environment.name()).setBuiltin(environment.builtin());
        if (environment.createdAt() != null) {
            builder.setCreatedAt(timestamp(environment.createdAt()));
        }
        return builder.build();
    }

    static Timestamp timestamp(OffsetDateTime time) {
        return Timestamp.newBuilder()
                .setSeconds(time.toEpochSecond())
                .setNanos(time.getNano())
                .build();
    }
}
