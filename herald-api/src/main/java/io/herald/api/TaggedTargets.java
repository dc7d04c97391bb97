package io.herald.api;

import io.herald.core.device.DeviceTags;
import java.util.List;

/**
 * Turns a push to a tag into a push to the devices that carry it, read from the store when the push is accepted, so
 * that it then takes the one push path of a push to ids: QoS 1 stored first, one hand-over per gateway. A device
 * tagged after this read does not get the push. At most {@link PushRequestParser#MAX_TARGETS} devices, as for a
 * list of ids: a larger tag is refused, not cut.
 */
final class TaggedTargets {
    private final DeviceTags tags;

    TaggedTargets(DeviceTags tags) {
        this.tags = tags;
    }

    /** {@code push} to its tag's devices; {@code push} itself when it names no tag. Blocking (the store). */
    PushRequest resolve(PushRequest push) {
        if (push.tag() == null) {
            return push;
        }
        List<String> tagged = tags.devicesWithTag(push.tag(), PushRequestParser.MAX_TARGETS + 1);
        if (tagged.size() > PushRequestParser.MAX_TARGETS) {
            throw ApiException.invalidRequest("tag " + push.tag() + " is on more than " + PushRequestParser.MAX_TARGETS
                    + " devices, the most one push may reach; split it into smaller tags");
        }
        return push.toDevices(tagged);
    }
}
