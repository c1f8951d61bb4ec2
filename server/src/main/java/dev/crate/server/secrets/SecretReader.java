package dev.crate.server.secrets;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The read of a retrieve in one statement, straight from the reactive pool: the live secrets asked for
 * joined with the version to return (the current one, or the pinned one), so the version is the one the
 * secret row names in the same snapshot. The rows are plain values, not entities of any session.
 */
@ApplicationScoped
public class SecretReader {
    private final Pool pool;

    SecretReader(Pool pool) {
        this.pool = pool;
    }

    /**
     * Live secrets of an environment carrying all {@code tags} (none: all), by name (byte order): what a
     * list shows. Read from the pool, not through a Hibernate native query with an entity result: such a
     * query's plan-cache key never equals the last one (its result mapping has no equality), so every call
     * added an entry under the same hash and the lookups grew linear in the cache's size (a quarter of a
     * list's CPU, docs/BENCHMARKS.md).
     */
    Uni<List<SecretRecord>> live(UUID orgId, String environment, List<String> tags) {
        Tuple params = Tuple.of(orgId, environment);
        StringBuilder sql = new StringBuilder("select s.id, s.name, s.current_version, s.tags, s.created_at, "
                + "s.updated_at from secrets s where s.org_id = $1 and s.environment = $2 and s.deleted_at is null");
        if (!tags.isEmpty()) {
            params.addArrayOfString(tags.toArray(String[]::new));
            sql.append(" and s.tags @> cast($3 as text[])");
        }
        sql.append(" order by s.name collate \"C\"");
        return pool.preparedQuery(sql.toString()).execute(params).map(rows -> {
            List<SecretRecord> result = new ArrayList<>();
            for (Row row : rows) {
                result.add(secret(row, orgId, environment));
            }
            return result;
        });
    }

    /** A live secret and the version to read; {@code version} is null when it is gone (pruned). */
    record WithVersion(SecretRecord secret, SecretVersionRecord version) {}

    /**
     * One page of a retrieve without names: at most {@code rows} secrets named after {@code after} (null: from
     * the first), only those a tag-restricted caller sees ({@code scope}: carrying one of its tags), so that a
     * page is full of what the caller may see and its last name never names a hidden secret.
     */
    record Page(Optional<Set<String>> scope, String after, int rows) {}

    /**
     * Live secrets of an environment carrying all {@code tags} (none: all), optionally only {@code names},
     * by name (byte order), each with its current version or the version {@code pinned} names for it.
     */
    Uni<List<WithVersion>> liveWithVersions(
            UUID orgId, String environment, List<String> tags, List<String> names, Map<String, Integer> pinned) {
        return liveWithVersions(orgId, environment, tags, names, pinned, null);
    }

    /** As above, limited to one {@code page} when it is not null (then without names or pinned versions). */
    Uni<List<WithVersion>> liveWithVersions(
            UUID orgId,
            String environment,
            List<String> tags,
            List<String> names,
            Map<String, Integer> pinned,
            Page page) {
        Tuple params = Tuple.of(orgId, environment);
        StringBuilder sql = new StringBuilder("select s.id, s.name, s.current_version, s.tags, s.created_at, "
                + "s.updated_at, v.id as v_id, v.version as v_version, v.org_key_version, v.wrapped_data_key, "
                + "v.ciphertext, v.tags as v_tags from secrets s ");
        if (pinned.isEmpty()) {
            sql.append("left join secret_versions v on v.secret_id = s.id and v.version = s.current_version ");
        } else {
            List<String> pinnedNames = new ArrayList<>(pinned.keySet());
            params.addArrayOfString(pinnedNames.toArray(String[]::new));
            params.addArrayOfInteger(pinnedNames.stream().map(pinned::get).toArray(Integer[]::new));
            sql.append(
                            "left join unnest(cast($3 as text[]), cast($4 as int[])) as p(name, version) on p.name = s.name ")
                    .append("left join secret_versions v on v.secret_id = s.id ")
                    .append("and v.version = coalesce(p.version, s.current_version) ");
        }
        sql.append("where s.org_id = $1 and s.environment = $2 and s.deleted_at is null");
        if (!tags.isEmpty()) {
            params.addArrayOfString(tags.toArray(String[]::new));
            sql.append(" and s.tags @> cast($").append(params.size()).append(" as text[])");
        }
        if (names != null) {
            params.addArrayOfString(names.toArray(String[]::new));
            sql.append(" and s.name = any(cast($").append(params.size()).append(" as text[]))");
        }
        if (page != null) {
            if (page.scope().isPresent()) {
                params.addArrayOfString(page.scope().get().toArray(String[]::new));
                sql.append(" and s.tags && cast($").append(params.size()).append(" as text[])");
            }
            if (page.after() != null) {
                params.addString(page.after());
                sql.append(" and s.name collate \"C\" > $").append(params.size());
            }
        }
        sql.append(" order by s.name collate \"C\"");
        if (page != null) {
            params.addInteger(page.rows());
            sql.append(" limit $").append(params.size());
        }
        return pool.preparedQuery(sql.toString()).execute(params).map(rows -> {
            List<WithVersion> result = new ArrayList<>();
            for (Row row : rows) {
                result.add(new WithVersion(secret(row, orgId, environment), version(row)));
            }
            return result;
        });
    }

    private static SecretRecord secret(Row row, UUID orgId, String environment) {
        SecretRecord secret = new SecretRecord();
        secret.id = row.getUUID("id");
        secret.orgId = orgId;
        secret.environment = environment;
        secret.name = row.getString("name");
        secret.currentVersion = row.getInteger("current_version");
        secret.tags = row.getArrayOfStrings("tags");
        secret.createdAt = row.getOffsetDateTime("created_at");
        secret.updatedAt = row.getOffsetDateTime("updated_at");
        return secret;
    }

    private static SecretVersionRecord version(Row row) {
        UUID id = row.getUUID("v_id");
        if (id == null) {
            return null;
        }
        SecretVersionRecord version = new SecretVersionRecord();
        version.id = id;
        version.secretId = row.getUUID("id");
        version.version = row.getInteger("v_version");
        version.orgKeyVersion = row.getInteger("org_key_version");
        var wrapped = row.getBuffer("wrapped_data_key");
        version.wrappedDataKey = wrapped == null ? null : wrapped.getBytes();
        version.ciphertext = row.getBuffer("ciphertext").getBytes();
        version.tags = row.getArrayOfStrings("v_tags");
        return version;
    }
}
