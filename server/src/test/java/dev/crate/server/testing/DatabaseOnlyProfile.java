package dev.crate.server.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/**
 * API keys only, on the suite's PostgreSQL: no identity provider to wait for (the other tests'
 * Keycloak is a global resource). One class for every test that needs no more, so that Quarkus
 * starts once for all of them.
 */
public class DatabaseOnlyProfile implements QuarkusTestProfile {
    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresResource.class));
    }
}
