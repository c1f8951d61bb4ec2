package dev.crate.cli;

import dev.crate.cli.client.LeanJson;
import dev.crate.cli.client.SealedAnswer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A loopback stand-in for a Crate server during {@link Training}: it answers the few requests of
 * {@code secrets list}, {@code fetch} and {@code run} in the server's shapes (a real JWE sealed to the
 * request's temporary key), so the CLI's whole HTTP, JSON and opening path runs and gets archived.
 * It knows nothing else and holds no real secrets.
 */
final class TrainingServer implements AutoCloseable {
    static final String ORG = "00000000-0000-4000-8000-000000000001";
    private static final String SECRET =
            "{\"name\":\"TRAINING_%d\",\"environment\":\"dev\",\"version\":1,\"tags\":[\"backend\"],"
                    + "\"updated_at\":\"2026-12-05T12:00:00.123456Z\"}";

    private final ServerSocket socket;
    private final Thread acceptor;

    TrainingServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "training-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    /** One thread per connection: each command's client keeps its connection open until the JVM exits. */
    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                Thread worker = new Thread(() -> serveQuietly(connection), "training-connection");
                worker.setDaemon(true);
                worker.start();
            } catch (IOException e) {
                // close() was called
            }
        }
    }

    private void serveQuietly(Socket connection) {
        try (connection) {
            serve(connection);
        } catch (IOException | RuntimeException e) {
            // the client went away
        }
    }

    /** HTTP/1.1 with keep-alive: requests on one connection until the client closes it. */
    private void serve(Socket connection) throws IOException {
        InputStream in = new BufferedInputStream(connection.getInputStream());
        OutputStream out = connection.getOutputStream();
        while (true) {
            String head = readHead(in);
            if (head == null) {
                return;
            }
            byte[] body = in.readNBytes(contentLength(head));
            String target = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
            String answer = answer(head.substring(0, head.indexOf(' ')), target, body);
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 200 OK\r\ncontent-type: application/json;charset=UTF-8\r\ncache-control: no-store\r\n"
                            + "content-length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
        }
    }

    private static String answer(String method, String target, byte[] body) {
        if (target.startsWith("/organizations")) {
            return "{\"organizations\":[{\"id\":\"" + ORG
                    + "\",\"name\":\"training\",\"created_at\":\"2026-12-05T12:00:00Z\"}]}";
        }
        if (method.equals("POST") && target.endsWith("/secrets/retrieve")) {
            return "{\"sealed_payload\":\"" + seal(body) + "\"}";
        }
        if (target.contains("/secrets?")) {
            StringBuilder list = new StringBuilder("{\"secrets\":[");
            for (int i = 1; i <= 20; i++) {
                list.append(i > 1 ? "," : "").append(String.format(Locale.ROOT, SECRET, i));
            }
            return list.append("]}").toString();
        }
        return "{}";
    }

    /**
     * What the server does for a retrieve: the payload as a JWE (ECDH-ES, A256GCM) to the client's JWK, here
     * with the JDK's crypto only, so that the archive holds no jose4j, which the lean path no longer loads.
     */
    @SuppressWarnings("unchecked")
    private static String seal(byte[] request) {
        try {
            Map<String, Object> jwk =
                    (Map<String, Object>) LeanJson.parseObject(new String(request, StandardCharsets.UTF_8))
                            .get("client_public_jwk");
            StringBuilder secrets = new StringBuilder();
            for (int i = 1; i <= 20; i++) {
                secrets.append(i > 1 ? "," : "")
                        .append("{\"name\":\"TRAINING_")
                        .append(i)
                        .append("\",\"value\":\"value-")
                        .append(i)
                        .append("\",\"version\":1,\"tags\":[\"backend\"]}");
            }
            byte[] plaintext = ("{\"environment\":\"dev\",\"secrets\":[" + secrets + "],\"missing\":[]}")
                    .getBytes(StandardCharsets.UTF_8);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair ephemeral = generator.generateKeyPair();
            ECParameterSpec curve = ((ECPublicKey) ephemeral.getPublic()).getParams();
            Base64.Decoder decoder = Base64.getUrlDecoder();
            PublicKey client = KeyFactory.getInstance("EC")
                    .generatePublic(new ECPublicKeySpec(
                            new ECPoint(
                                    new BigInteger(1, decoder.decode((String) jwk.get("x"))),
                                    new BigInteger(1, decoder.decode((String) jwk.get("y")))),
                            curve));
            KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
            agreement.init(ephemeral.getPrivate());
            agreement.doPhase(client, true);
            byte[] key = SealedAnswer.concatKdf(agreement.generateSecret(), "A256GCM", new byte[0], new byte[0], 256);
            Map<String, Object> epk = new LinkedHashMap<>();
            ECPoint w = ((ECPublicKey) ephemeral.getPublic()).getW();
            epk.put("kty", "EC");
            epk.put("x", coordinate(w.getAffineX()));
            epk.put("y", coordinate(w.getAffineY()));
            epk.put("crv", "P-256");
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("alg", "ECDH-ES");
            header.put("enc", "A256GCM");
            header.put("cty", "application/json");
            header.put("epk", epk);
            Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
            String protectedHeader =
                    encoder.encodeToString(LeanJson.write(header).getBytes(StandardCharsets.UTF_8));
            byte[] iv = new byte[12];
            new SecureRandom().nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            cipher.updateAAD(protectedHeader.getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = cipher.doFinal(plaintext);
            int tag = sealed.length - 16;
            return protectedHeader + ".." + encoder.encodeToString(iv) + "."
                    + encoder.encodeToString(Arrays.copyOf(sealed, tag)) + "."
                    + encoder.encodeToString(Arrays.copyOfRange(sealed, tag, sealed.length));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("training server cannot seal", e);
        }
    }

    private static String coordinate(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] fixed = new byte[32];
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, fixed, 32 - copy, copy);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b = in.read(); b >= 0; b = in.read()) {
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1
                    : 0;
            if (matched == 4) {
                return head.toString(StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return 0;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
