package dev.crate.server.secrets;

import static dev.crate.server.testing.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crate.protocol.sealing.TemporaryKey;
import dev.crate.protocol.wire.RetrievedPayload;
import dev.crate.protocol.wire.RetrievedSecret;
import dev.crate.server.api.grpc.v1.RetrieveSecretsRequest;
import dev.crate.server.api.grpc.v1.RetrieveSecretsResponse;
import dev.crate.server.audit.AuditTrailTest;
import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.DatabaseOnlyProfile;
import dev.crate.server.testing.Grpc;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A retrieve without names answers one page at a time (docs/API.md, section 5): every secret exactly once
 * across the pages, {@code next} beside the JWE and absent on the last page, one audit record per page, and a
 * bad {@code limit} or {@code after} refused. The pages are made small with {@code limit}, so the test needs
 * a handful of secrets and no configuration of its own.
 */
@QuarkusTest
@TestProfile(DatabaseOnlyProfile.class)
class RetrievePagesTest {
    /** The default bound: crate.secrets.retrieve-max-page. */
    private static final int MAX_PAGE = 500;

    private static final TreeMap<String, String> stored = new TreeMap<>();
    /** One org for the tests that only read; the others make their own. */
    private static Org shared;

    private Org org;

    @BeforeEach
    void sharedOrg() {
        if (shared == null) {
            shared = orgWithSevenSecrets();
        }
        org = shared;
    }

    private static Org orgWithSevenSecrets() {
        Org made = Api.newOrg();
        for (String name : List.of("G_LAST", "A_FIRST", "C_THIRD", "b_lower", "D_FOURTH", "E_FIFTH", "F_SIXTH")) {
            String value = "canary-page-" + name.toLowerCase();
            Api.storeOk(
                    made, "dev", name, value, List.of(name.startsWith("A") || name.startsWith("D") ? "blue" : "red"));
            stored.put(name, value);
        }
        return made;
    }

    /** One page: the opened payload and the answer's {@code next} (null when absent). */
    private record Page(RetrievedPayload payload, String next, String rawAnswer) {}

    private Page page(String token, Map<String, Object> fields) {
        TemporaryKey key = TemporaryKey.generate();
        Map<String, Object> body = new HashMap<>(fields);
        body.put("environment", "dev");
        body.put("client_public_jwk", key.publicJwk());
        Response response = as(token).body(body).post("/organization/" + org.id() + "/secrets/retrieve");
        response.then().statusCode(200);
        try {
            return new Page(
                    Api.JSON.readValue(key.open(response.path("sealed_payload")), RetrievedPayload.class),
                    response.path("next"),
                    response.asString());
        } catch (java.io.IOException e) {
            throw new AssertionError("payload is not the documented JSON", e);
        }
    }

    private List<Page> allPages(String token, int limit, List<String> tags) {
        List<Page> pages = new ArrayList<>();
        String after = null;
        do {
            Map<String, Object> fields = new HashMap<>(Map.of("limit", limit));
            if (after != null) {
                fields.put("after", after);
            }
            if (tags != null) {
                fields.put("tags", tags);
            }
            Page page = page(token, fields);
            pages.add(page);
            after = page.next();
            assertTrue(pages.size() <= stored.size() + 1, "paging does not end");
        } while (after != null);
        return pages;
    }

    private static Map<String, String> values(List<Page> pages) {
        Map<String, String> values = new TreeMap<>();
        for (Page page : pages) {
            for (RetrievedSecret s : page.payload().secrets()) {
                assertNull(values.put(s.name(), s.value()), s.name() + " came back twice");
            }
        }
        return values;
    }

    @Test
    void pagesReturnEverySecretExactlyOnceInNameOrderAndTheLastHasNoNext() {
        List<Page> pages = allPages(org.adminKey(), 3, null);

        assertEquals(
                List.of(3, 3, 1),
                pages.stream().map(p -> p.payload().secrets().size()).toList());
        assertEquals(stored, values(pages));
        // byte order: upper case before lower case, across pages too
        assertEquals(
                List.copyOf(stored.keySet()),
                pages.stream()
                        .flatMap(p -> p.payload().secrets().stream())
                        .map(RetrievedSecret::name)
                        .toList());
        assertEquals("D_FOURTH", pages.get(0).next(), "next is the last name of the page");
        assertFalse(pages.get(2).rawAnswer().contains("\"next\""), "no next on the last page");
        for (Page page : pages) {
            assertEquals(List.of(), page.payload().missing());
            assertFalse(page.rawAnswer().contains("canary-page-"), "no value outside the JWE");
        }
    }

    @Test
    void aPageThatEndsTheEnvironmentExactlyHasNoNext() {
        Page page = page(org.adminKey(), Map.of("limit", stored.size()));
        assertEquals(stored, values(List.of(page)));
        assertNull(page.next());
    }

    @Test
    void withoutALimitOnePageHoldsUpToTheServersBound() {
        Page page = page(org.adminKey(), Map.of());
        assertEquals(stored, values(List.of(page)));
        assertNull(page.next());
    }

    @Test
    void everyPageIsOnTheAuditTrailWithTheNamesItReturned() throws Exception {
        org = orgWithSevenSecrets();
        List<Page> pages = allPages(org.adminKey(), 3, null);

        JsonNode reads = AuditTrailTest.events(org, "&action=secret.read");
        assertEquals(pages.size(), reads.size(), reads.toString());
        List<List<String>> recorded = new ArrayList<>();
        for (JsonNode read : reads) {
            List<String> names = new ArrayList<>();
            Api.JSON
                    .readTree(read.path("detail").asText())
                    .path("secrets")
                    .forEach(s -> names.add(s.path("name").asText()));
            recorded.add(names);
            assertFalse(read.toString().contains("canary-page-"), read.toString());
        }
        List<List<String>> returned = pages.stream()
                .map(p -> p.payload().secrets().stream()
                        .map(RetrievedSecret::name)
                        .toList())
                .toList();
        assertEquals(
                new java.util.HashSet<>(returned),
                new java.util.HashSet<>(recorded),
                "one secret.read record per page, naming that page's secrets");
    }

    @Test
    void aTagRestrictedKeyPagesThroughWhatItSeesAndNextNeverNamesAHiddenSecret() {
        String blueKey = as(org.adminKey())
                .body(Map.of("name", "blue only", "role", "admin", "tags", List.of("blue")))
                .post("/organization/" + org.id() + "/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");

        List<Page> pages = allPages(blueKey, 1, null);

        assertEquals(Map.of("A_FIRST", stored.get("A_FIRST"), "D_FOURTH", stored.get("D_FOURTH")), values(pages));
        assertEquals(2, pages.size(), "full pages of what the key sees, then none");
        assertEquals("A_FIRST", pages.get(0).next());
        assertNull(pages.get(1).next());
    }

    @Test
    void aTagFilterPagesToo() {
        List<Page> pages = allPages(org.adminKey(), 2, List.of("red"));
        Map<String, String> red = new TreeMap<>(stored);
        red.remove("A_FIRST");
        red.remove("D_FOURTH");
        assertEquals(red, values(pages));
        assertEquals(3, pages.size());
    }

    @Test
    void aSecretDeletedBetweenPagesIsSkippedAndTheCursorStillWorks() {
        org = orgWithSevenSecrets();
        Page first = page(org.adminKey(), Map.of("limit", 2));
        assertEquals("C_THIRD", first.next());
        // the secret the cursor names goes away: the next page starts after its name all the same
        as(org.adminKey())
                .delete("/organization/" + org.id() + "/secrets/" + first.next() + "?env=dev")
                .then()
                .statusCode(204);
        Page second = page(org.adminKey(), Map.of("limit", MAX_PAGE, "after", first.next()));
        Map<String, String> rest = new TreeMap<>(stored.tailMap(first.next(), false));
        assertEquals(rest, values(List.of(second)));
        assertNull(second.next());
    }

    private void refused(Map<String, Object> fields, String code) {
        Map<String, Object> body = new HashMap<>(fields);
        body.put("client_public_jwk", TemporaryKey.generate().publicJwk());
        as(org.adminKey())
                .body(body)
                .post("/organization/" + org.id() + "/secrets/retrieve")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo(code));
    }

    @Test
    void aLimitOutsideOneToTheBoundIsRefused() {
        refused(Map.of("limit", MAX_PAGE + 1), "invalid_page");
        refused(Map.of("limit", 0), "invalid_page");
        refused(Map.of("limit", -1), "invalid_page");
        page(org.adminKey(), Map.of("limit", MAX_PAGE));
    }

    @Test
    void anAfterThatIsNotASecretNameIsRefused() {
        refused(Map.of("after", ""), "invalid_page");
        refused(Map.of("after", "1_NOT_A_NAME"), "invalid_page");
        refused(Map.of("after", "A B"), "invalid_page");
        refused(Map.of("after", "x".repeat(129)), "invalid_page");
    }

    @Test
    void limitOrAfterWithNamesIsRefused() {
        refused(Map.of("names", List.of("A_FIRST"), "limit", 1), "invalid_page");
        refused(Map.of("names", List.of("A_FIRST"), "after", "A_FIRST"), "invalid_page");
        refused(Map.of("versions", Map.of("A_FIRST", 1), "limit", 1), "invalid_page");
    }

    @Test
    void moreNamesOrVersionsThanThePageBoundAreRefused() {
        List<String> names =
                IntStream.range(0, MAX_PAGE + 1).mapToObj(i -> "N" + i).toList();
        refused(Map.of("names", names), "too_many_names");
        Map<String, Object> versions = new HashMap<>();
        names.forEach(n -> versions.put(n, 1));
        refused(Map.of("versions", versions), "too_many_names");
        // exactly the bound is one answer
        Page page = page(org.adminKey(), Map.of("names", names.subList(0, MAX_PAGE)));
        assertEquals(MAX_PAGE, page.payload().missing().size());
        assertNull(page.next());
    }

    @Test
    void grpcPagesAsRestDoesAndRefusesTheSameWay() throws Exception {
        List<String> names = new ArrayList<>();
        String after = "";
        int pages = 0;
        do {
            TemporaryKey key = TemporaryKey.generate();
            RetrieveSecretsResponse answer = Grpc.secrets(org.adminKey())
                    .retrieveSecrets(RetrieveSecretsRequest.newBuilder()
                            .setOrganizationId(org.id())
                            .setEnvironment("dev")
                            .setClientPublicJwk(Grpc.struct(key.publicJwk()))
                            .setLimit(3)
                            .setAfter(after)
                            .build());
            RetrievedPayload payload = Api.JSON.readValue(
                    new String(key.open(answer.getSealedPayload()), StandardCharsets.UTF_8), RetrievedPayload.class);
            payload.secrets().forEach(s -> names.add(s.name()));
            after = answer.getNext();
            pages++;
        } while (!after.isEmpty());

        assertEquals(3, pages);
        assertEquals(List.copyOf(stored.keySet()), names);
        Grpc.Failure refused = Grpc.failure(() -> Grpc.secrets(org.adminKey())
                .retrieveSecrets(RetrieveSecretsRequest.newBuilder()
                        .setOrganizationId(org.id())
                        .setClientPublicJwk(Grpc.struct(TemporaryKey.generate().publicJwk()))
                        .setLimit(MAX_PAGE + 1)
                        .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.status());
        assertEquals("invalid_page", refused.code());
    }
}
