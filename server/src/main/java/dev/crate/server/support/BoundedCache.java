package dev.crate.server.support;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A small in-memory cache with a size bound (least recently used entries leave first) and a time to live
 * per entry. Invalidation is safe against a load that raced it: a loader reads {@link #generation()} before
 * it queries and {@link #put} drops the value when an invalidation happened in between, so a row read
 * before a change committed can never be cached after that change was announced. A size of 0 or a TTL of
 * 0 disables it (every {@link #get} misses). Lookups are rare and short, so one lock is enough.
 */
public final class BoundedCache<K, V> {
    private final int maxEntries;
    private final long ttlNanos;
    private final LinkedHashMap<K, Timed<V>> map;
    private long generation;

    private record Timed<V>(V value, long expiresAt) {}

    public BoundedCache(int maxEntries, Duration ttl) {
        this.maxEntries = Math.max(0, maxEntries);
        this.ttlNanos = ttl.isNegative() ? 0 : ttl.toNanos();
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Timed<V>> eldest) {
                return size() > BoundedCache.this.maxEntries;
            }
        };
    }

    public boolean enabled() {
        return maxEntries > 0 && ttlNanos > 0;
    }

    /** Read before loading; hand it to {@link #put}. */
    public synchronized long generation() {
        return generation;
    }

    /** The live value, or null. */
    public synchronized V get(K key) {
        Timed<V> timed = map.get(key);
        if (timed == null) {
            return null;
        }
        if (System.nanoTime() - timed.expiresAt() >= 0) {
            map.remove(key);
            return null;
        }
        return timed.value();
    }

    /** Caches {@code value} unless something was invalidated since {@code seenGeneration} was read. */
    public synchronized boolean put(K key, V value, long seenGeneration) {
        if (!enabled() || seenGeneration != generation) {
            return false;
        }
        map.put(key, new Timed<>(value, System.nanoTime() + ttlNanos));
        return true;
    }

    /** Drops the entries whose value matches; any load in flight is not cached. */
    public synchronized void invalidateIf(Predicate<V> which) {
        generation++;
        Iterator<Timed<V>> values = map.values().iterator();
        while (values.hasNext()) {
            if (which.test(values.next().value())) {
                values.remove();
            }
        }
    }

    public synchronized void clear() {
        generation++;
        map.clear();
    }

    public synchronized int size() {
        return map.size();
    }
}
