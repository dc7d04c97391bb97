package io.herald.server.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a secret given either inline or as a file, so it need not appear in the process list. */
public final class Secrets {
    private Secrets() {
    }

    /**
     * @param inline     the value of {@code --name}, may be null or blank
     * @param file       the value of {@code --name-file}, may be null
     * @param optionName the option's name, for the error messages
     * @return the secret, trimmed, or null when neither was given
     */
    public static String read(String inline, Path file, String optionName) {
        boolean hasInline = inline != null && !inline.isBlank();
        if (hasInline && file != null) {
            throw new IllegalArgumentException("give " + optionName + " or " + optionName + "-file, not both");
        }
        if (file == null) {
            return hasInline ? inline.trim() : null;
        }
        try {
            String value = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (value.isEmpty()) {
                throw new IllegalArgumentException(optionName + "-file " + file + " is empty");
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException(optionName + "-file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }
}
