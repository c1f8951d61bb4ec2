package dev.crate.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The workload identity bindings of one organization (admin only): which platform tokens may be exchanged for
 * a Crate token, and with what scope. Bodies and answers stay JSON trees: the CLI shows what the server keeps.
 */
public final class WorkloadIdentitiesClient {
    private static final Pattern UUID =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private final CrateClient client;
    private final String path;

    public WorkloadIdentitiesClient(CrateClient client, String orgId) {
        this.client = client;
        this.path = CrateClient.orgPath(orgId) + "/workload-identities";
    }

    public List<JsonNode> list() {
        return items(call("GET", path, null));
    }

    public JsonNode create(ObjectNode body) {
        return call("POST", path, body);
    }

    public JsonNode get(String idOrName) {
        return call("GET", path + "/" + Query.segment(id(idOrName)), null);
    }

    public JsonNode update(String idOrName, ObjectNode body) {
        return call("PATCH", path + "/" + Query.segment(id(idOrName)), body);
    }

    /** Deletes the binding; answers its id. */
    public String delete(String idOrName) {
        String id = id(idOrName);
        call("DELETE", path + "/" + Query.segment(id), null);
        return id;
    }

    /** A binding's id: given as such, or looked up by its name. */
    String id(String idOrName) {
        if (UUID.matcher(idOrName).matches()) {
            return idOrName;
        }
        return list().stream()
                .filter(b -> idOrName.equals(b.path("name").asText(null)))
                .map(b -> b.path("id").asText())
                .findFirst()
                .orElseThrow(() -> new CliException("no workload identity binding named '" + idOrName
                        + "' in this organization: see 'crate workload-identities list'"));
    }

    /** The bindings of a list answer: an array, or the object's first array ({@code {"workload_identities":[...]}}). */
    static List<JsonNode> items(JsonNode answer) {
        List<JsonNode> items = new ArrayList<>();
        JsonNode array =
                answer != null && answer.isArray() ? answer : firstArray(answer).orElse(null);
        if (array != null) {
            array.forEach(items::add);
        }
        return items;
    }

    private static Optional<JsonNode> firstArray(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        for (Iterator<JsonNode> values = node.elements(); values.hasNext(); ) {
            JsonNode value = values.next();
            if (value.isArray()) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    private JsonNode call(String method, String target, Object body) {
        try {
            return client.send(method, target, body, JsonNode.class);
        } catch (ApiException.NotFound e) {
            throw ErrorTable.missingEndpoint(e, "workload identities");
        }
    }
}
