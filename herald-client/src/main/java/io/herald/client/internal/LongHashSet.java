package io.herald.client.internal;

/**
 * A set of primitive longs: open addressing with linear probing and backward-shift deletion (as in
 * fastutil's {@code LongOpenHashSet}), so that remembering ten thousand message ids costs about 128 KiB
 * rather than the ~700 KiB of a {@code HashSet<Long>} — this matters with thousands of clients per JVM.
 * The table grows by doubling and never shrinks. Not thread-safe.
 */
final class LongHashSet {
    private static final long EMPTY = 0L;
    private static final int MIN_CAPACITY = 16;
    private static final float MAX_LOAD = 0.7f;

    private long[] table;
    private int mask;
    private int size;
    /** 0 marks an empty slot, so the key 0 is tracked apart. */
    private boolean containsZero;

    LongHashSet() {
        table = new long[MIN_CAPACITY];
        mask = MIN_CAPACITY - 1;
    }

    int size() {
        return size;
    }

    boolean contains(long key) {
        if (key == EMPTY) {
            return containsZero;
        }
        for (int i = slot(key); ; i = (i + 1) & mask) {
            long current = table[i];
            if (current == EMPTY) {
                return false;
            }
            if (current == key) {
                return true;
            }
        }
    }

    /** @return true when the key was not in the set before */
    boolean add(long key) {
        if (key == EMPTY) {
            if (containsZero) {
                return false;
            }
            containsZero = true;
            size++;
            return true;
        }
        int i = slot(key);
        for (long current = table[i]; current != EMPTY; current = table[i]) {
            if (current == key) {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[i] = key;
        size++;
        if (size > (table.length * MAX_LOAD)) {
            rehash(table.length * 2);
        }
        return true;
    }

    /** @return true when the key was in the set */
    boolean remove(long key) {
        if (key == EMPTY) {
            if (!containsZero) {
                return false;
            }
            containsZero = false;
            size--;
            return true;
        }
        for (int i = slot(key); ; i = (i + 1) & mask) {
            long current = table[i];
            if (current == EMPTY) {
                return false;
            }
            if (current == key) {
                size--;
                shiftKeys(i);
                return true;
            }
        }
    }

    /**
     * Closes the gap left at {@code pos} by moving back every later key of the same probe run whose home
     * slot does not lie cyclically between the gap and its current slot.
     */
    private void shiftKeys(int pos) {
        while (true) {
            int last = pos;
            pos = (pos + 1) & mask;
            long current;
            while (true) {
                current = table[pos];
                if (current == EMPTY) {
                    table[last] = EMPTY;
                    return;
                }
                int home = slot(current);
                boolean staysPut = last <= pos ? last >= home || home > pos : last >= home && home > pos;
                if (staysPut) {
                    break;
                }
                pos = (pos + 1) & mask;
            }
            table[last] = current;
        }
    }

    private void rehash(int newCapacity) {
        long[] old = table;
        table = new long[newCapacity];
        mask = newCapacity - 1;
        for (long key : old) {
            if (key != EMPTY) {
                int i = slot(key);
                while (table[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                table[i] = key;
            }
        }
    }

    private int slot(long key) {
        // Fibonacci hashing: message ids are time-ordered, so their low bits alone would cluster.
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
