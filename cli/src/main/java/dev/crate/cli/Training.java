package dev.crate.cli;

import dev.crate.cli.client.CliException;
import dev.crate.cli.client.CrateClient;
import dev.crate.cli.client.Json;
import dev.crate.cli.output.Dotenv;
import dev.crate.protocol.sealing.Sealing;
import dev.crate.protocol.sealing.TemporaryKey;
import dev.crate.protocol.wire.RetrievedPayload;
import java.io.OutputStream;
import java.io.PrintStream;
import java.security.KeyPairGenerator;
import java.util.Map;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jwk.JsonWebKey;

/**
 * The class-loading workload that {@code bin/crate} records once per jar into a CDS archive or AOT
 * cache: command parsing, JSON, sealing, opening a sealed answer and an HTTP exchange, all offline.
 */
public final class Training {
    private Training() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(quiet);
        System.setErr(quiet);
        Main.execute("run", "--help");
        Main.execute("secrets", "list", "--server", "http://127.0.0.1:1", "--org", "00000000-0000-0000-0000-000000000000");
        Main.execute("run", "--server", "http://127.0.0.1:1", "--org", "00000000-0000-0000-0000-000000000000", "--", "true");
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        Sealing.sealJwe(rsa.generateKeyPair().getPublic(), "kid", new byte[] {1, 2, 3});
        TemporaryKey key = TemporaryKey.generate();
        JsonWebEncryption jwe = new JsonWebEncryption();
        jwe.setAlgorithmHeaderValue(KeyManagementAlgorithmIdentifiers.ECDH_ES);
        jwe.setEncryptionMethodHeaderParameter(ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);
        jwe.setKey(JsonWebKey.Factory.newJwk(key.publicJwk()).getKey());
        jwe.setPlaintext("{\"environment\":\"dev\",\"secrets\":[{\"name\":\"A\",\"value\":\"b\",\"version\":1,\"tags\":[]}],\"missing\":[]}");
        Json.MAPPER.readValue(key.open(jwe.getCompactSerialization()), RetrievedPayload.class);
        Dotenv.read(Dotenv.write(Map.of("A", "b")));
        try {
            new CrateClient("http://127.0.0.1:1", () -> "t").get("/organizations", dev.crate.protocol.wire.OrganizationList.class);
        } catch (CliException expected) {
            // offline on purpose
        }
    }
}
