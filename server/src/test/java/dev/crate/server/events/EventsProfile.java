package dev.crate.server.events;

import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The change stream tests need PostgreSQL only (API keys, no identity provider): they skip the other
 * global test resources, beat every second, allow four streams per caller and
 * {@link SecretEventsTest#MAX_QUEUED} items waiting for a client that does not read.
 */
public class EventsProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "crate.events.heartbeat",
                "1s",
                "crate.events.max-streams-per-caller",
                "4",
                "crate.events.max-queued-per-stream",
                Integer.toString(SecretEventsTest.MAX_QUEUED));
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
