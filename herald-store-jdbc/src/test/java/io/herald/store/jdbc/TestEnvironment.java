package io.herald.store.jdbc;

import java.util.Locale;

/**
 * Test settings from a system property ({@code -Dherald.test.mariadb.url=...}), else the matching environment
 * variable ({@code HERALD_TEST_MARIADB_URL}), else a default that fits a developer machine.
 */
final class TestEnvironment {
    private TestEnvironment() {
    }

    static String get(String property, String defaultValue) {
        String value = System.getProperty(property);
        if (value == null) {
            value = System.getenv(environmentName(property));
        }
        return value == null ? defaultValue : value;
    }

    static String environmentName(String property) {
        return property.replace('.', '_').toUpperCase(Locale.ROOT);
    }
}
