package dev.crate.server.organizations;

import static dev.crate.server.testing.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.PostgresResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** crate.organizations.create-per-hour: one caller's creations beyond the bound answer 429 with Retry-After. */
@QuarkusTest
@TestProfile(OrganizationCreationLimitTest.LowBound.class)
class OrganizationCreationLimitTest {
    private static final int BOUND = 3;

    /** A bound of 3 per caller and hour; API keys only. */
    public static class LowBound implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("crate.organizations.create-per-hour", Integer.toString(BOUND));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PostgresResource.class));
        }
    }

    private static Response create(String key) {
        return as(key).body(
                        Map.of("name", "limited-" + UUID.randomUUID().toString().substring(0, 8)))
                .post("/organizations");
    }

    @Test
    void aCallerPastTheBoundIsToldToWaitAndOthersAreNot() {
        // two callers of their own: each new org's admin key may create organizations
        Org first = Api.newOrg();
        Org second = Api.newOrg();
        for (int i = 0; i < BOUND; i++) {
            create(first.adminKey()).then().statusCode(201);
        }
        Response refused = create(first.adminKey());
        assertEquals(429, refused.statusCode(), refused.asString());
        assertEquals("rate_limited", refused.path("code"));
        assertTrue(refused.contentType().startsWith("application/problem+json"), refused.contentType());
        String retryAfter = refused.header("Retry-After");
        assertNotNull(retryAfter, "a 429 says when to try again");
        long seconds = Long.parseLong(retryAfter);
        assertTrue(seconds >= 1 && seconds <= 3600, retryAfter);
        // the bound is per caller: another caller still creates
        create(second.adminKey()).then().statusCode(201);
    }
}
