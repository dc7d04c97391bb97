package io.herald.core.device;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Persistent device registry. Blocking: call it off the event loops. */
public interface DeviceStore {

    Optional<Device> find(String clientId);

    /** Inserts the device; false (and no change) when the client id is already registered. */
    boolean insert(Device device);

    /** Deletes the device and its stored messages; false when there was none. */
    boolean delete(String clientId);

    /** The subset of {@code clientIds} that are registered (queried in chunks, fine for 100,000 ids). */
    Set<String> existing(Collection<String> clientIds);

    long count();

    /**
     * Up to {@code limit} devices whose id starts with {@code prefix} ("" for all) and sorts after {@code after}
     * (null: from the first), ordered by id, comparing characters by their codes (ids are ASCII). A key range
     * scan: the cost follows the rows returned, not the size of the registry.
     */
    List<Device> list(String prefix, String after, int limit);
}
