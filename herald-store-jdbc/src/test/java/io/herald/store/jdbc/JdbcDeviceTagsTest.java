package io.herald.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.device.Device;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The device tag table on every database Herald runs on. */
class JdbcDeviceTagsTest {

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of(Named.<Supplier<TestDatabase>>of("H2", TestDatabase::h2InMemory)),
                Arguments.of(Named.<Supplier<TestDatabase>>of("MariaDB", ServerTestDatabase::mariaDb)),
                Arguments.of(Named.<Supplier<TestDatabase>>of("PostgreSQL", ServerTestDatabase::postgres)));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void tagsAreReplacedReadAndGoWithTheirDevice(Supplier<TestDatabase> created) {
        try (TestDatabase testDatabase = created.get(); Database database = Database.open(testDatabase.settings())) {
            JdbcDeviceStore devices = new JdbcDeviceStore(database);
            JdbcDeviceTags tags = new JdbcDeviceTags(database);
            for (String id : List.of("dev-1", "dev-2", "dev-3")) {
                devices.insert(new Device(id, "hash", Instant.ofEpochMilli(1_000), 7));
            }

            assertThat(tags.replace("dev-1", new TreeSet<>(List.of("floor-1", "Kitchen", "kitchen")))).isTrue();
            assertThat(tags.replace("dev-2", new TreeSet<>(List.of("kitchen")))).isTrue();
            assertThat(tags.replace("dev-3", new TreeSet<>(List.of("kitchen")))).isTrue();
            assertThat(tags.replace("dev-3", new TreeSet<>(List.of("garage")))).isTrue(); // replaces, not adds
            assertThat(tags.replace("nobody", new TreeSet<>(List.of("kitchen")))).isFalse();

            assertThat(tags.tagsOf(List.of("dev-1", "dev-2", "dev-3", "nobody"))).isEqualTo(Map.of(
                    "dev-1", List.of("Kitchen", "floor-1", "kitchen"), "dev-2", List.of("kitchen"),
                    "dev-3", List.of("garage")));
            assertThat(tags.devicesWithTag("kitchen", 10)).containsExactlyInAnyOrder("dev-1", "dev-2");
            assertThat(tags.devicesWithTag("Kitchen", 10)).containsExactly("dev-1");
            assertThat(tags.devicesWithTag("kitchen", 1)).hasSize(1);
            assertThat(tags.devicesWithTag("attic", 10)).isEmpty();

            devices.delete("dev-1");
            devices.insert(new Device("dev-1", "hash", Instant.ofEpochMilli(2_000), 8));
            assertThat(tags.tagsOf(List.of("dev-1"))).isEmpty();
            assertThat(tags.devicesWithTag("kitchen", 10)).containsExactly("dev-2");

            assertThat(tags.replace("dev-2", new TreeSet<>())).isTrue();
            assertThat(tags.devicesWithTag("kitchen", 10)).isEmpty();
        }
    }

    /** The device list's tag filter: id order by character codes (upper case first), prefix and cursor as ranges. */
    @ParameterizedTest
    @MethodSource("databases")
    void aTagIsListedInIdOrderFromACursorWithinAPrefix(Supplier<TestDatabase> created) {
        try (TestDatabase testDatabase = created.get(); Database database = Database.open(testDatabase.settings())) {
            JdbcDeviceStore devices = new JdbcDeviceStore(database);
            JdbcDeviceTags tags = new JdbcDeviceTags(database);
            for (String id : List.of("b-2", "a_1", "B-1", "b-1", "b-3", "c-1")) {
                devices.insert(new Device(id, "hash", Instant.ofEpochMilli(1_000), 3));
                tags.replace(id, new TreeSet<>(List.of(id.equals("b-3") ? "other" : "hall")));
            }

            assertThat(tags.listTagged("hall", "", null, 10)).extracting(Device::clientId)
                    .containsExactly("B-1", "a_1", "b-1", "b-2", "c-1");
            assertThat(tags.listTagged("hall", "b-", null, 10)).extracting(Device::clientId)
                    .containsExactly("b-1", "b-2");
            assertThat(tags.listTagged("hall", "", "a_1", 2)).extracting(Device::clientId)
                    .containsExactly("b-1", "b-2");
            assertThat(tags.listTagged("hall", "a", null, 10)).as("'_' is no wildcard").extracting(Device::clientId)
                    .containsExactly("a_1");
            assertThat(tags.listTagged("hall", "", null, 1).get(0))
                    .isEqualTo(new Device("B-1", "hash", Instant.ofEpochMilli(1_000), 3));
            assertThat(tags.listTagged("Hall", "", null, 10)).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void manyDevicesAreReadInChunks(Supplier<TestDatabase> created) {
        try (TestDatabase testDatabase = created.get(); Database database = Database.open(testDatabase.settings())) {
            JdbcDeviceStore devices = new JdbcDeviceStore(database);
            JdbcDeviceTags tags = new JdbcDeviceTags(database);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 2_500; i++) {
                String id = "bulk-" + i;
                ids.add(id);
                devices.insert(new Device(id, "hash", Instant.ofEpochMilli(1_000), i + 1));
                tags.replace(id, new TreeSet<>(List.of("fleet", i % 2 == 0 ? "even" : "odd")));
            }

            assertThat(tags.devicesWithTag("fleet", 10_000)).hasSize(2_500);
            assertThat(tags.devicesWithTag("odd", 10_000)).hasSize(1_250);
            Map<String, List<String>> all = tags.tagsOf(ids);
            assertThat(all).hasSize(2_500);
            assertThat(all.get("bulk-7")).containsExactly("fleet", "odd");
        }
    }
}
