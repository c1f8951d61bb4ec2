package dev.crate.server.secrets;

import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.Limits;
import dev.crate.protocol.wire.Tag;
import dev.crate.protocol.wire.TagList;
import dev.crate.protocol.wire.TagMetadata;
import dev.crate.server.audit.AuditAction;
import dev.crate.server.audit.AuditService;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.CrateException;
import dev.crate.server.domain.Validation;
import dev.crate.server.identity.AccessPolicy;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The org-wide tag catalog. Tags appear when a secret first uses them; metadata is set here. */
@ApplicationScoped
public class TagService {
    private final AccessPolicy access;
    private final TagRepository tags;
    private final SecretRepository secrets;
    private final AuditService audit;

    TagService(AccessPolicy access, TagRepository tags, SecretRepository secrets, AuditService audit) {
        this.audit = audit;
        this.access = access;
        this.tags = tags;
        this.secrets = secrets;
    }

    public Uni<TagList> list(Caller caller, String orgId) {
        return audit.guard(
                caller,
                orgId,
                AuditAction.ACCESS,
                null,
                null,
                () -> access.resolve(caller, orgId)
                        .chain(a -> Panache.withSession(() -> tags.listForOrg(a.org().id)))
                        .map(rows -> new TagList(
                                rows.stream().map(TagService::toWire).toList())));
    }

    /** Creates the tag or replaces its metadata. */
    public Uni<Tag> put(Caller caller, String orgId, String rawName, TagMetadata metadata) {
        String name = Validation.tag(rawName);
        TagMetadata checked = check(metadata);
        return audit.guard(
                caller,
                orgId,
                AuditAction.TAG_PUT,
                null,
                null,
                () -> access.resolve(caller, orgId)
                        .map(a -> a.requireAdmin().org())
                        .chain(org -> Panache.withTransaction(() -> tags.ensureExist(org.id, java.util.List.of(name))
                                .chain(() -> tags.findByName(org.id, name))
                                .invoke(tag -> {
                                    tag.color = checked.color();
                                    tag.description = checked.description();
                                })
                                .map(TagService::toWire)
                                .call(tag -> audit.append(tagEntry(caller, org.id, AuditAction.TAG_PUT, name))))));
    }

    public Uni<Void> delete(Caller caller, String orgId, String rawName) {
        String name = Validation.tag(rawName);
        return audit.guard(
                caller,
                orgId,
                AuditAction.TAG_DELETE,
                null,
                null,
                () -> access.resolve(caller, orgId)
                        .map(a -> a.requireAdmin().org())
                        .chain(org -> Panache.withTransaction(() -> tags.findByName(org.id, name)
                                .onItem()
                                .ifNull()
                                .failWith(() -> new CrateException(ErrorCode.TAG_NOT_FOUND, "no tag '" + name + "'"))
                                .chain(tag -> secrets.countLiveWithTag(org.id, name)
                                        .chain(count -> {
                                            if (count > 0) {
                                                throw new CrateException(
                                                        ErrorCode.TAG_IN_USE,
                                                        "tag '" + name + "' is used by " + count
                                                                + " secret(s); remove it from them first");
                                            }
                                            return tags.delete(tag)
                                                    .chain(() -> audit.append(
                                                            tagEntry(caller, org.id, AuditAction.TAG_DELETE, name)));
                                        })))));
    }

    private dev.crate.server.audit.AuditEntry tagEntry(
            Caller caller, java.util.UUID orgId, AuditAction action, String tag) {
        return audit.entry(caller, orgId, action, null, null, null)
                .withDetail(audit.detail(java.util.Map.of("tag", tag)));
    }

    private static TagMetadata check(TagMetadata metadata) {
        if (metadata == null) {
            return new TagMetadata(null, null);
        }
        if (metadata.color() != null
                && !Limits.TAG_COLOR.matcher(metadata.color()).matches()) {
            throw new CrateException(ErrorCode.INVALID_TAG_METADATA, "color must look like #ff0000");
        }
        Validation.text(metadata.description(), ErrorCode.INVALID_TAG_METADATA, "description");
        if (metadata.description() != null && metadata.description().length() > Limits.MAX_TAG_DESCRIPTION) {
            throw new CrateException(
                    ErrorCode.INVALID_TAG_METADATA,
                    "description holds at most " + Limits.MAX_TAG_DESCRIPTION + " characters");
        }
        return metadata;
    }

    static Tag toWire(TagRecord tag) {
        return new Tag(tag.name, new TagMetadata(tag.color, tag.description));
    }
}
