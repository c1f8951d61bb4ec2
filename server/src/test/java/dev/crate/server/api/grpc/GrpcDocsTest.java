package dev.crate.server.api.grpc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crate.protocol.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/GRPC.md shows the proto files as they are and maps every error code as the server does. */
class GrpcDocsTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path DOC = REPO.resolve("docs/GRPC.md");

    @Test
    void theDocumentShowsEveryProtoFileVerbatim() throws IOException {
        String doc = Files.readString(DOC);
        for (String file :
                List.of("secrets/v1/secrets", "secrets/v1/tags", "secrets/v1/environments", "workload/v1/workload")) {
            String proto = Files.readString(REPO.resolve("server/src/main/proto/crate/" + file + ".proto"));
            assertTrue(doc.contains(proto), file + ".proto changed: copy it into docs/GRPC.md §7");
        }
    }

    @Test
    void theErrorTableMapsEveryCodeAsTheServerDoes() throws IOException {
        List<String> rows = Files.readAllLines(DOC).stream()
                .filter(l -> l.startsWith("| `"))
                .toList();
        for (ErrorCode code : ErrorCode.values()) {
            String status = "`" + GrpcErrors.statusOf(code).name() + "` |";
            assertTrue(
                    rows.stream().anyMatch(r -> r.contains("`" + code.code() + "`") && r.endsWith(status)),
                    code.code() + " -> " + status + " is not in docs/GRPC.md §4");
        }
    }
}
