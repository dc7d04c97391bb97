package io.herald.protocol;

import java.util.Locale;

/** What a MESSAGE payload holds; upstream handlers are chosen by it. */
public enum ContentType {
    TEXT(1),
    JSON(2),
    BINARY(3),
    IMAGE(4),
    VIDEO(5),
    AUDIO(6);

    private static final ContentType[] BY_CODE = new ContentType[256];

    static {
        for (ContentType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    ContentType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Lower-case name as used in JSON ("text", "json", ...). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the payload is UTF-8 text that can be shown as a string. */
    public boolean isTextual() {
        return this == TEXT || this == JSON;
    }

    public static ContentType ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Parses a label such as "text" (case-insensitive); {@code null} when unknown. */
    public static ContentType ofLabel(String label) {
        if (label == null) {
            return null;
        }
        for (ContentType type : values()) {
            if (type.name().equalsIgnoreCase(label)) {
                return type;
            }
        }
        return null;
    }
}
