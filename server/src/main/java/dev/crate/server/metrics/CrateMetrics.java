package dev.crate.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Crate's domain meters, served at {@code /q/metrics}. Every label comes from a small fixed set (a
 * kind, an outcome): never an org id, secret name, key id or token, which would leak what the
 * vault holds and explode the series count. All meters exist from the start, at zero: the bean is
 * created at start ({@link Startup}), not at its first use, so that alerts on a series see it before
 * anything happened (docs/OPERATIONS.md, section 7).
 */
@Startup
@ApplicationScoped
public class CrateMetrics {
    /** Why a request was not let through. */
    public enum AuthFailure {
        /** A bearer token that matches no API key. */
        UNKNOWN_KEY,
        REVOKED_KEY,
        EXPIRED_KEY,
        /** A protected resource asked for with no credential at all. */
        MISSING_CREDENTIAL,
        /** An authenticated caller without the role or grant the operation needs. */
        FORBIDDEN;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a rotation job rotated. */
    public enum Rotation {
        ORG_KEY,
        TRANSPORT_KEY,
        ROOT_KEY;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Counter stored;
    private final Counter retrieved;
    private final Counter sealedFailures;
    private final Counter auditWriteFailures;
    private final Map<AuthFailure, Counter> authFailures = new EnumMap<>(AuthFailure.class);
    private final Map<Rotation, Counter> rotations = new EnumMap<>(Rotation.class);
    private final Map<Rotation, Counter> rotationFailures = new EnumMap<>(Rotation.class);
    private final Map<Rotation, Counter> rewrapped = new EnumMap<>(Rotation.class);
    private final Map<Rotation, Timer> rotationDurations = new EnumMap<>(Rotation.class);
    private final Timer storeOk;
    private final Timer storeFailed;
    private final Timer retrieveOk;
    private final Timer retrieveFailed;

    CrateMetrics(MeterRegistry registry) {
        stored = Counter.builder("crate.secrets.stored")
                .description("Secret versions stored")
                .register(registry);
        retrieved = Counter.builder("crate.secrets.retrieved")
                .description("Secret values delivered (sealed) by retrieve")
                .register(registry);
        sealedFailures = Counter.builder("crate.sealed.value.failures")
                .description("Sealed values that could not be opened with the organization's transport key")
                .register(registry);
        auditWriteFailures = Counter.builder("crate.audit.write.failures")
                .description("Audit events that could not be written")
                .register(registry);
        for (AuthFailure kind : AuthFailure.values()) {
            authFailures.put(
                    kind,
                    Counter.builder("crate.auth.failures")
                            .description("Requests refused, by kind")
                            .tag("kind", kind.label())
                            .register(registry));
        }
        for (Rotation key : Rotation.values()) {
            rotations.put(
                    key,
                    Counter.builder("crate.rotations")
                            .description("Completed key rotations, by key tier")
                            .tag("key", key.label())
                            .register(registry));
            rotationFailures.put(
                    key,
                    Counter.builder("crate.rotation.failures")
                            .description("Rotation job steps that failed (the next run resumes), by key tier")
                            .tag("key", key.label())
                            .register(registry));
            rewrapped.put(
                    key,
                    Counter.builder("crate.rotation.rewrapped")
                            .description(
                                    "Wrapped keys re-wrapped by rotation jobs: data and transport keys (org), org keys (root)")
                            .tag("key", key.label())
                            .register(registry));
            rotationDurations.put(
                    key,
                    Timer.builder("crate.rotation.duration")
                            .description("Time from starting a rotation to its last re-wrap and retirement")
                            .tag("key", key.label())
                            .register(registry));
        }
        storeOk =
                timer(registry, "crate.secrets.store", "Time to open, encrypt and store one secret version", "success");
        storeFailed =
                timer(registry, "crate.secrets.store", "Time to open, encrypt and store one secret version", "failure");
        retrieveOk =
                timer(registry, "crate.secrets.retrieve", "Time to decrypt and seal one retrieve answer", "success");
        retrieveFailed =
                timer(registry, "crate.secrets.retrieve", "Time to decrypt and seal one retrieve answer", "failure");
    }

    private static Timer timer(MeterRegistry registry, String name, String description, String outcome) {
        return Timer.builder(name)
                .description(description)
                .tag("outcome", outcome)
                .register(registry);
    }

    public void secretStored() {
        stored.increment();
    }

    public void secretsRetrieved(int count) {
        retrieved.increment(count);
    }

    public void sealedValueFailure() {
        sealedFailures.increment();
    }

    public void authFailure(AuthFailure kind) {
        authFailures.get(kind).increment();
    }

    public void rotation(Rotation key) {
        rotations.get(key).increment();
    }

    public void rotationFailure(Rotation key) {
        rotationFailures.get(key).increment();
    }

    public void keysRewrapped(Rotation key, int count) {
        rewrapped.get(key).increment(count);
    }

    public void rotationDuration(Rotation key, java.time.Duration duration) {
        rotationDurations.get(key).record(duration.isNegative() ? java.time.Duration.ZERO : duration);
    }

    public void auditWriteFailure() {
        auditWriteFailures.increment();
    }

    /** Times a store from subscription to its outcome. */
    public <T> Uni<T> timeStore(Uni<T> store) {
        return timed(store, storeOk, storeFailed);
    }

    /** Times a retrieve from subscription to its outcome. */
    public <T> Uni<T> timeRetrieve(Uni<T> retrieve) {
        return timed(retrieve, retrieveOk, retrieveFailed);
    }

    private static <T> Uni<T> timed(Uni<T> uni, Timer ok, Timer failed) {
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return uni.onItemOrFailure()
                    .invoke((item, failure) -> (failure == null ? ok : failed)
                            .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS));
        });
    }
}
