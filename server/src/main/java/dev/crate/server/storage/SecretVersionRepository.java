package dev.crate.server.storage;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Encrypted secret versions. */
@ApplicationScoped
public class SecretVersionRepository implements PanacheRepositoryBase<SecretVersionRecord, UUID> {

    /** The current version rows of the given secrets. */
    public Uni<List<SecretVersionRecord>> currentOf(List<UUID> secretIds) {
        if (secretIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return list("from SecretVersionRecord v where v.secretId in ?1 and v.version = "
                + "(select s.currentVersion from SecretRecord s where s.id = v.secretId)", secretIds);
    }
}
