package dev.crate.server.keys;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Unwrapped key material of one kind (org keys, transport keys), per replica, for at most a TTL
 * ({@code crate.key-cache-ttl}). An entry leaves on its TTL (found stale on a read, or by {@link #sweep}),
 * or at once when its key is retired or disabled ({@link #evictIf}). What leaves is destroyed (org key
 * bytes zeroed) one sweep later, not at once: a request that took the material just before it left
 * finishes with it first (docs/SECURITY.md, "Keys in memory").
 *
 * @param <K> what names the key (org and version, or kid)
 * @param <V> the material
 */
final class KeyMaterialCache<K, V> {
    private record Entry<V>(V value, long expiresAt) {}

    private record Evicted<V>(V value, long sweep) {}

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final List<Evicted<V>> toDestroy = new ArrayList<>();
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final Consumer<V> destroy;
    /** Counts sweeps; guarded by {@code toDestroy}. */
    private long sweeps;

    /**
     * @param ttl how long an entry stays
     * @param nanoClock {@link System#nanoTime} in production; tests move it by hand
     * @param destroy zeroes (or otherwise destroys) evicted material
     */
    KeyMaterialCache(Duration ttl, LongSupplier nanoClock, Consumer<V> destroy) {
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
        this.destroy = destroy;
    }

    /** The material when cached and within its TTL; a stale entry is evicted. */
    V get(K key) {
        Entry<V> entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (nanoClock.getAsLong() - entry.expiresAt() < 0) {
            return entry.value();
        }
        if (entries.remove(key, entry)) {
            retire(entry.value());
        }
        return null;
    }

    /** Keeps {@code value} for the TTL; material it replaces is destroyed later. A TTL of 0 caches nothing. */
    void put(K key, V value) {
        if (ttlNanos <= 0) {
            return;
        }
        Entry<V> old = entries.put(key, new Entry<>(value, nanoClock.getAsLong() + ttlNanos));
        if (old != null && old.value() != value) {
            retire(old.value());
        }
    }

    /** Evicts every entry whose key matches (a retired org key version, a disabled transport key). */
    int evictIf(Predicate<K> which) {
        int n = 0;
        for (Iterator<Map.Entry<K, Entry<V>>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<K, Entry<V>> e = it.next();
            if (which.test(e.getKey()) && entries.remove(e.getKey(), e.getValue())) {
                retire(e.getValue().value());
                n++;
            }
        }
        return n;
    }

    /**
     * Evicts the entries past their TTL, and destroys the material evicted before the previous sweep.
     *
     * @return how many entries were evicted now
     */
    int sweep() {
        long now = nanoClock.getAsLong();
        List<V> destroyNow = new ArrayList<>();
        synchronized (toDestroy) {
            // what was evicted before this sweep's predecessor ran has had a whole sweep interval to be done with
            for (Iterator<Evicted<V>> it = toDestroy.iterator(); it.hasNext(); ) {
                Evicted<V> e = it.next();
                if (e.sweep() < sweeps) {
                    destroyNow.add(e.value());
                    it.remove();
                }
            }
        }
        destroyNow.forEach(destroy);
        int evicted = evictIf(k -> {
            Entry<V> entry = entries.get(k);
            return entry != null && now - entry.expiresAt() >= 0;
        });
        synchronized (toDestroy) {
            sweeps++;
        }
        return evicted;
    }

    /** Evicts everything and destroys it at once (shutdown). */
    void clear() {
        evictIf(k -> true);
        List<V> all;
        synchronized (toDestroy) {
            all = toDestroy.stream().map(Evicted::value).toList();
            toDestroy.clear();
        }
        all.forEach(destroy);
    }

    boolean contains(K key) {
        return entries.containsKey(key);
    }

    int size() {
        return entries.size();
    }

    /** Evicted material not destroyed yet. */
    int pendingDestruction() {
        synchronized (toDestroy) {
            return toDestroy.size();
        }
    }

    private void retire(V value) {
        synchronized (toDestroy) {
            toDestroy.add(new Evicted<>(value, sweeps));
        }
    }
}
