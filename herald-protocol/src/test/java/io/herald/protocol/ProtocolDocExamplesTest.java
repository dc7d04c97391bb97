package io.herald.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.protocol.frame.Frame;
import io.herald.protocol.testing.Bytes;
import io.herald.protocol.testing.Codec;
import io.herald.protocol.testing.WireExamples;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps {@code docs/protocol.md} true to the code.
 *
 * <p>Worked examples are marked up as
 * <pre>
 * &lt;!-- example: NAME --&gt;
 * ```hex
 * 48 01 04 00 00 00 00 00   # comment
 * ```
 * </pre>
 * where NAME is a key of {@link WireExamples#BY_NAME}. Each block must decode to that frame and the frame must
 * encode to exactly the block's bytes (the same bytes {@code FrameBytesTest} writes out by hand). The tables of
 * frame types, flags and enumerated values must list every code with its name, and nothing else.
 */
class ProtocolDocExamplesTest {

    private static final Pattern MARKER = Pattern.compile("<!--\\s*example:\\s*([a-z0-9-]+)\\s*-->");
    private static final Pattern CODE_CELL = Pattern.compile("0x[0-9A-F]{2}|\\d+");
    private static final Pattern NAME_CELL = Pattern.compile("[A-Z][A-Z0-9_]*");

    private static String doc;
    private static Map<String, byte[]> examples;

    @BeforeAll
    static void readDoc() throws IOException {
        Path path = findDoc();
        doc = Files.readString(path, StandardCharsets.UTF_8).replace("\r\n", "\n");
        examples = parseExamples(doc);
    }

    /** {@code docs/protocol.md} of the repository, from the module directory (Maven) or anywhere inside it. */
    private static Path findDoc() {
        Path start = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs").resolve("protocol.md");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("docs/protocol.md not found in " + start + " or any parent directory");
    }

    /** Every marked example: name → bytes. Fails on unmarked hex blocks, dangling markers and repeated names. */
    private static Map<String, byte[]> parseExamples(String text) {
        Map<String, byte[]> found = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        String pendingName = null;
        int pendingLine = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            Matcher marker = MARKER.matcher(line);
            if (marker.matches()) {
                assertThat(pendingName).as("marker on line %d has no ```hex block after it", pendingLine).isNull();
                pendingName = marker.group(1);
                pendingLine = i + 1;
            } else if (line.equals("```hex")) {
                assertThat(pendingName).as("```hex block on line %d has no example marker before it", i + 1)
                        .isNotNull();
                StringBuilder hex = new StringBuilder();
                int j = i + 1;
                for (; j < lines.length && !lines[j].trim().equals("```"); j++) {
                    hex.append(lines[j]).append('\n');
                }
                assertThat(j).as("```hex block on line %d is not closed", i + 1).isLessThan(lines.length);
                assertThat(found).as("example names are unique").doesNotContainKey(pendingName);
                found.put(pendingName, Bytes.parseHex(hex.toString()));
                pendingName = null;
                i = j;
            } else if (!line.isEmpty()) {
                assertThat(pendingName).as("marker on line %d must be followed by a ```hex block", pendingLine)
                        .isNull();
            }
        }
        assertThat(pendingName).as("marker on line %d has no ```hex block after it", pendingLine).isNull();
        return found;
    }

    static Stream<String> exampleNames() {
        return WireExamples.BY_NAME.keySet().stream();
    }

    @Test
    void everyExampleFrameIsOnThePageAndNothingElse() {
        assertThat(examples.keySet()).containsExactlyElementsOf(WireExamples.BY_NAME.keySet());
    }

    @Test
    void everyFrameTypeHasAnExample() {
        assertThat(WireExamples.BY_NAME.values().stream().map(Frame::type).distinct())
                .containsExactlyInAnyOrder(FrameType.values());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exampleNames")
    void exampleDecodesToItsFrameAndBack(String name) {
        Frame expected = WireExamples.BY_NAME.get(name);
        byte[] shown = examples.get(name);
        assertThat(shown).as("example '%s' on the page", name).isNotNull();
        assertThat(Codec.decodeOne(Wire.DEFAULT_MAX_BODY_LENGTH, shown)).as("example '%s' decoded", name)
                .isEqualTo(expected);
        assertThat(Bytes.hex(Codec.encode(expected))).as("example '%s' re-encoded", name)
                .isEqualTo(Bytes.hex(shown));
    }

    // --- tables ---

    /** Rows of every Markdown table on the page, as trimmed cells without backticks. */
    private static List<List<String>> tableRows() {
        List<List<String>> rows = new ArrayList<>();
        for (String line : doc.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("|") && trimmed.endsWith("|") && !trimmed.matches("\\|[-|: ]+\\|")) {
                String inner = trimmed.substring(1, trimmed.length() - 1);
                rows.add(Arrays.stream(inner.split("\\|", -1)).map(c -> c.replace("`", "").trim())
                        .collect(Collectors.toList()));
            }
        }
        return rows;
    }

    private static void assertRow(String... leadingCells) {
        List<String> expected = List.of(leadingCells);
        assertThat(tableRows()).as("a table row starting with %s", expected)
                .anyMatch(row -> row.size() >= expected.size() && row.subList(0, expected.size()).equals(expected));
    }

    private static String hexCode(int code) {
        return String.format(Locale.ROOT, "0x%02X", code);
    }

    @Test
    void tablesListEveryCodeWithItsName() {
        for (FrameType type : FrameType.values()) {
            assertRow(hexCode(type.code()), type.name());
        }
        for (ContentType type : ContentType.values()) {
            assertRow(String.valueOf(type.code()), type.name());
        }
        for (AckStatus status : AckStatus.values()) {
            assertRow(String.valueOf(status.code()), status.name());
        }
        for (NoticeKind kind : NoticeKind.values()) {
            assertRow(String.valueOf(kind.code()), kind.name());
        }
        for (ErrorCode code : ErrorCode.values()) {
            assertRow(String.valueOf(code.code()), code.name());
        }
        for (Qos qos : Qos.values()) {
            assertRow(String.valueOf(qos.level()), qos == Qos.AT_LEAST_ONCE ? "set" : "clear");
        }
    }

    @Test
    void tablesListNoCodeThatDoesNotExist() {
        Map<String, String> known = new LinkedHashMap<>();
        for (FrameType type : FrameType.values()) {
            known.put(type.name(), hexCode(type.code()));
        }
        Stream.of(ContentType.values()).forEach(t -> known.put(t.name(), String.valueOf(t.code())));
        Stream.of(AckStatus.values()).forEach(s -> known.put(s.name(), String.valueOf(s.code())));
        Stream.of(NoticeKind.values()).forEach(k -> known.put(k.name(), String.valueOf(k.code())));
        Stream.of(ErrorCode.values()).forEach(e -> known.put(e.name(), String.valueOf(e.code())));
        for (List<String> row : tableRows()) {
            if (row.size() >= 2 && CODE_CELL.matcher(row.get(0)).matches()
                    && NAME_CELL.matcher(row.get(1)).matches()) {
                assertThat(known).as("table row %s", row).containsEntry(row.get(1), row.get(0));
            }
        }
    }

    @Test
    void flagsTableMatchesWire() {
        assertRow("0", hexCode(Wire.FLAG_QOS_1), "QOS_1");
        assertRow("1", hexCode(Wire.FLAG_DUPLICATE), "DUPLICATE");
        assertRow("2", hexCode(Wire.FLAG_TRACE), "TRACE");
        assertRow("3-7", hexCode(~Wire.KNOWN_MESSAGE_FLAGS & 0xFF), "(reserved)");
    }

    @Test
    void headerTableMatchesWire() {
        assertRow(String.valueOf(Wire.MAGIC_OFFSET), "1", "magic", String.format(Locale.ROOT, "0x%02X (ASCII H)",
                Wire.MAGIC));
        assertRow(String.valueOf(Wire.VERSION_OFFSET), "1", "version", hexCode(Wire.VERSION));
        assertRow(String.valueOf(Wire.TYPE_OFFSET), "1", "type");
        assertRow(String.valueOf(Wire.FLAGS_OFFSET), "1", "flags");
        assertRow(String.valueOf(Wire.LENGTH_OFFSET), "4", "length");
        assertRow(String.valueOf(Wire.HEADER_LENGTH), "n", "body");
    }

    @Test
    void limitsMatchWire() {
        String text = doc.replaceAll("\\s+", " "); // line breaks in a paragraph are spaces
        assertThat(text).contains(String.format(Locale.ROOT, "%,d bytes (64 KiB)", Wire.DEFAULT_MAX_BODY_LENGTH))
                .contains(String.format(Locale.ROOT, "%,d bytes (8 MiB)", Wire.HARD_MAX_BODY_LENGTH))
                .contains(String.format(Locale.ROOT, "At most %,d bytes", Wire.MAX_STRING_BYTES))
                .contains("1 to " + Wire.MAX_TRACE_ID_LENGTH);
    }
}
