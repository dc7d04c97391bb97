package io.herald.store.jdbc;

import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;

/**
 * Enums as stored: a content type by its wire code, a QoS by its level. Wire numbers never change once released,
 * whereas enum names and ordinals may be refactored.
 */
final class Codes {
    private Codes() {
    }

    static ContentType contentType(int code) {
        ContentType type = ContentType.ofCode(code);
        if (type == null) {
            throw new StoreException("stored content type code " + code + " is unknown to this version of Herald");
        }
        return type;
    }

    static Qos qos(int level) {
        Qos qos = Qos.ofLevel(level);
        if (qos == null) {
            throw new StoreException("stored QoS level " + level + " is unknown to this version of Herald");
        }
        return qos;
    }
}
