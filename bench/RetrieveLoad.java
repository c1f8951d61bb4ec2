import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load for bench/audit-reads.sh: CONCURRENCY workers post sealed retrieves (a fixed temporary EC P-256
 * key; the answer is not opened: client cost stays out) for SECONDS after a warm-up, and print
 * "<ok per second> <errors>". Usage: java RetrieveLoad.java URL TOKEN ORG SECONDS CONCURRENCY WARMUP
 */
public class RetrieveLoad {
    public static void main(String[] args) throws Exception {
        String url = args[0] + "/organization/" + args[2] + "/secrets/retrieve";
        String token = args[1];
        int seconds = Integer.parseInt(args[3]);
        int concurrency = Integer.parseInt(args[4]);
        int warmup = Integer.parseInt(args[5]);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        ECPublicKey key = (ECPublicKey) generator.generateKeyPair().getPublic();
        String body = "{\"environment\":\"dev\",\"client_public_jwk\":{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\""
                + b64(key.getW().getAffineX()) + "\",\"y\":\"" + b64(key.getW().getAffineY()) + "\"}}";
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long warmEnd = System.nanoTime() + warmup * 1_000_000_000L;
        long end = warmEnd + seconds * 1_000_000_000L;
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int i = 0; i < concurrency; i++) {
            new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        int status;
                        try {
                            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        } catch (Exception e) {
                            status = -1;
                        }
                        if (System.nanoTime() > warmEnd && System.nanoTime() < end) {
                            (status == 200 ? ok : errors).incrementAndGet();
                        }
                    }
                } finally {
                    done.countDown();
                }
            }).start();
        }
        done.await();
        System.out.printf("%.1f %d%n", ok.get() / (double) seconds, errors.get());
    }

    private static String b64(BigInteger coordinate) {
        byte[] bytes = coordinate.toByteArray();
        byte[] fixed = new byte[32];
        int copy = Math.min(32, bytes.length);
        System.arraycopy(bytes, bytes.length - copy, fixed, 32 - copy, copy);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
    }
}
