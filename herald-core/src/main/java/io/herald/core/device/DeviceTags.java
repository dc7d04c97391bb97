package io.herald.core.device;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * The tags of registered devices: a device's groups, which a push with {@code "tag"} reaches. Tags go with their
 * device: deleting a device deletes its tags. Blocking: call it off the event loops.
 */
public interface DeviceTags {

    /**
     * Replaces the device's tags with {@code tags} (valid by {@link Tags}, at most {@link Tags#MAX_PER_DEVICE});
     * false, and nothing changed, when the device is not registered. Returns once the change is durable.
     */
    boolean replace(String clientId, SortedSet<String> tags);

    /** The tags of each of {@code clientIds} that has any, sorted; devices without tags are absent. */
    Map<String, List<String>> tagsOf(Collection<String> clientIds);

    /** Up to {@code limit} ids of the devices tagged {@code tag}, in no particular order. */
    List<String> devicesWithTag(String tag, int limit);

    /**
     * Registered devices tagged {@code tag} whose id starts with {@code prefix} ("" for all) and comes after
     * {@code after} (null: from the first), in id order (character codes), at most {@code limit}: a page of
     * {@code GET /api/v1/devices?tag=}, read like {@link DeviceStore#list}.
     */
    List<Device> listTagged(String tag, String prefix, String after, int limit);
}
