package dev.crate.server.events;

import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The change stream tests need PostgreSQL only (API keys, no identity provider): they skip the other
 * global test resources, beat every second and allow four streams per caller.
 */
public class EventsProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("crate.events.heartbeat", "1s", "crate.events.max-streams-per-caller", "4");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresResource.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
