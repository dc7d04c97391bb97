package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.herald.core.device.ClientIds;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Generated request bodies for registration, login and push, against a real server ({@link TestApi}): every field
 * valid, of the wrong type, out of range, null or missing, unknown fields, repeated keys, and bodies that are not
 * JSON at all (arbitrary bytes, not UTF-8, cut short). Every answer is either the success the request deserves
 * or a 4xx with a JSON error body {@code {"error":{"code","message"}}}, never a 5xx; whether a body is valid is
 * known from how it was generated, so the property also checks that valid bodies are accepted and invalid ones
 * refused. {@code HostileJsonApiTest} has the huge and deeply nested cases.
 */
class HostileJsonPropertyTest {
    /** Requests per property, each a round trip over HTTP/1.1 on loopback. */
    static final int TRIES = 500;
    private static final String CHARS_OF_IDS = "ABCXYZabcxyz0189._:@-";
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static TestApi api;

    @BeforeContainer
    static void start() {
        // Without the attempt limits, which would soon answer 429 before the body is read (they have their tests).
        api = TestApi.start(settings -> settings.withLimits(ApiLimits.OFF));
    }

    @AfterContainer
    static void stop() {
        // the server still answers as it should after everything it was sent
        assertThat(api.get("/health").status()).isEqualTo(200);
        assertThat(api.postWithKey("/api/v1/push", "{\"to\":\"after-all\",\"payload\":\"x\"}").status()).isEqualTo(202);
        api.close();
    }

    /** One member of a generated JSON object: its raw JSON text, and whether the API must accept that value. */
    record Member(String name, String json, Validity validity) {
        String text() {
            return quote(name) + ":" + json;
        }

        boolean present() {
            return !json.equals("null");
        }
    }

    /** What the API must do with a value: accept it, refuse it, or either (odd, but within the rules). */
    enum Validity {
        VALID, INVALID, EITHER;

        Validity and(Validity other) {
            return this == INVALID || other == INVALID ? INVALID : this == EITHER || other == EITHER ? EITHER : VALID;
        }
    }

    @Property(tries = TRIES)
    void registrationAndLogin(@ForAll("credentials") List<Member> members, @ForAll boolean login) {
        TestApi.Reply reply = api.post(login ? "/api/v1/login" : "/api/v1/devices", object(members));
        Validity validity = credentialsValidity(members);
        // A valid registration is new (201), repeated (200) or taken with another secret (409); a valid login is
        // right (200) or wrong (401) about the secret.
        check(reply, validity, login ? Set.of(200, 401) : Set.of(200, 201, 409));
    }

    @Property(tries = TRIES)
    void push(@ForAll("pushes") List<Member> members) {
        TestApi.Reply reply = api.postWithKey("/api/v1/push", object(members));
        check(reply, pushValidity(members), Set.of(202));
    }

    @Property(tries = TRIES)
    void bytesThatAreNoJsonObject(@ForAll("garbage") byte[] body, @ForAll("paths") String path) {
        TestApi.Reply reply = api.send(api.request(path, TestApi.apiKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        check(reply, Validity.INVALID, Set.of());
    }

    private static void check(TestApi.Reply reply, Validity validity, Set<Integer> success) {
        assertThat(reply.status()).as(reply.body()).isLessThan(500);
        if (reply.status() >= 400) {
            assertJsonError(reply);
        }
        switch (validity) {
            case VALID -> assertThat(reply.status()).as(reply.body()).isIn(success);
            case INVALID -> assertThat(reply.status()).as(reply.body()).isBetween(400, 499);
            case EITHER -> assertThat(success.contains(reply.status()) || reply.status() / 100 == 4)
                    .as("%s %s", reply.status(), reply.body()).isTrue();
        }
        Statistics.collect(validity);
        Statistics.coverage(coverage -> {
            coverage.check(Validity.INVALID).percentage(p -> p > 30);
            if (!success.isEmpty()) {
                coverage.check(Validity.VALID).percentage(p -> p > 8);
            }
        });
    }

    static void assertJsonError(TestApi.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isBetween(400, 499);
        assertThat(reply.contentType()).startsWith("application/json");
        JsonNode error = reply.json().path("error");
        assertThat(error.path("code").isTextual()).as(reply.body()).isTrue();
        assertThat(error.path("code").asText()).isNotBlank();
        assertThat(error.path("message").isTextual()).as(reply.body()).isTrue();
        assertThat(error.path("message").asText()).isNotBlank();
    }

    // ---- what the API must make of a body ----

    private static Validity credentialsValidity(List<Member> members) {
        return structure(members, Credentials.FIELDS).and(present(members, "clientId"))
                .and(present(members, "secret"));
    }

    private static Validity pushValidity(List<Member> members) {
        Validity validity = structure(members, PushRequestParser.FIELDS);
        boolean broadcast = members.stream().anyMatch(m -> m.name().equals("broadcast") && m.json().equals("true"));
        boolean to = members.stream().anyMatch(m -> m.name().equals("to") && m.present());
        boolean payload = members.stream().anyMatch(m -> m.name().equals("payload") && m.present());
        boolean base64 = members.stream().anyMatch(m -> m.name().equals("payloadBase64") && m.present());
        boolean jsonType = members.stream()
                .anyMatch(m -> m.name().equals("contentType") && m.json().equals("\"json\""));
        boolean textIsJson = members.stream().anyMatch(m -> m.name().equals("payload") && isJson(unquote(m.json())));
        boolean value = members.stream()
                .anyMatch(m -> m.name().equals("payload") && m.present() && !m.json().startsWith("\""));
        if (broadcast == to || payload == base64 || jsonType && payload && !textIsJson && !value
                || value && !jsonType) {
            return Validity.INVALID;
        }
        return validity;
    }

    /** Every member known, no name twice, and the validity of the least valid value. */
    private static Validity structure(List<Member> members, Set<String> fields) {
        Set<String> names = members.stream().map(Member::name).collect(Collectors.toSet());
        if (names.size() < members.size() || !fields.containsAll(names)) {
            return Validity.INVALID;
        }
        Validity result = Validity.VALID;
        for (Member member : members) {
            result = result.and(member.validity());
        }
        return result;
    }

    private static Validity present(List<Member> members, String name) {
        return members.stream().anyMatch(m -> m.name().equals(name) && m.present()) ? Validity.VALID
                : Validity.INVALID;
    }

    // ---- generators ----

    @Provide
    Arbitrary<List<Member>> credentials() {
        return members(List.of(new Slot(member("clientId", clientIds()), 9), new Slot(member("secret", secrets()), 9)));
    }

    @Provide
    Arbitrary<List<Member>> pushes() {
        Arbitrary<Member> to = member("to", choice(
                Arbitraries.oneOf(clientIds(), clientIds().list().ofMinSize(1).ofMaxSize(4)
                        .map(HostileJsonPropertyTest::array)),
                invalid("[]"), invalid("[1,2]"), invalid("[[\"a\"]]"), invalid("[\"a\",null]"),
                invalid("[\"ok\",\"not ok\"]"), invalid("{\"id\":\"a\"}"), invalid("7"), invalid("true"),
                invalid("[\"" + "x".repeat(129) + "\"]"), nullValue()));
        Arbitrary<Member> broadcast = member("broadcast", choice(Arbitraries.of(valid("true"), valid("false")),
                invalid("\"true\""), invalid("1"), invalid("[]"), nullValue()));
        Arbitrary<Member> contentType = member("contentType", choice(Arbitraries.of(valid("\"text\""),
                        valid("\"json\""), valid("\"binary\""), valid("\"image\""), valid("\"video\""),
                        valid("\"audio\"")),
                invalid("\"xml\""), invalid("\"\""), invalid("\"TEXT \""), invalid("3"), invalid("{}"), nullValue()));
        Arbitrary<Member> payload = member("payload", choice(Arbitraries.oneOf(
                        Arbitraries.of(valid("\"hello\""), valid("\"{\\\"a\\\":[1,2]}\""), valid("\"\""),
                                valid("\"\\u00fc\\ud83d\\ude00\"")),
                        strings().map(text -> valid(quote(text)))),
                // a JSON value other than a string: valid with contentType json only (pushValidity)
                invalid("\"\\ud800 lone surrogate\""), valid("12"), valid("{\"a\":1}"), valid("[\"x\"]"),
                valid("false"), valid("[\"\\ud800\"]"), nullValue())); // kept as an escape: valid JSON
        Arbitrary<Member> payloadBase64 = member("payloadBase64", choice(
                // padding is optional (RFC 4648 section 3.2 allows leaving it out; the decoder does)
                Arbitraries.of(valid("\"aGVsbG8=\""), valid("\"aGVsbG8\""), valid("\"\"")),
                invalid("\"not base64!\""), invalid("\"aGVsbG8==\""), invalid("\"a\""), invalid("42"),
                invalid("[\"aGk=\"]"),
                nullValue()));
        Arbitrary<Member> qos = member("qos", choice(Arbitraries.of(valid("0"), valid("1")),
                invalid("2"), invalid("-1"), invalid("0.5"), invalid("1e400"), invalid("99999999999999999999999"),
                invalid("\"1\""), invalid("true"), invalid("[1]"), nullValue()));
        Arbitrary<Member> ttl = member("ttlSeconds", choice(Arbitraries.of(valid("1"), valid("3600"),
                        valid("2592000")),
                invalid("0"), invalid("-5"), invalid("2592001"), invalid("1.5"), invalid("1e3"),
                invalid("9223372036854775808"), invalid("\"60\""), invalid("{}"), nullValue()));
        // Mostly one target and one payload, as a valid push has.
        return members(List.of(new Slot(to, 8), new Slot(broadcast, 2), new Slot(contentType, 6), new Slot(payload, 8),
                new Slot(payloadBase64, 2), new Slot(qos, 5), new Slot(ttl, 5)));
    }

    /** Mostly one of the {@code valid} values, now and then one of the others. */
    private static Arbitrary<Member> choice(Arbitrary<Member> valid, Member... others) {
        return Arbitraries.frequencyOf(Tuple.of(12, valid), Tuple.of(1, Arbitraries.of(others)));
    }

    /** A member of a generated body, and how often (in 10) it is there at all. */
    record Slot(Arbitrary<Member> member, int presentInTen) {
    }

    /**
     * Each known member present or left out (as often as its slot says), in any order, now and then twice, and
     * now and then with an unknown member.
     */
    private static Arbitrary<List<Member>> members(List<Slot> slots) {
        List<Arbitrary<List<Member>>> parts = new ArrayList<>();
        for (Slot slot : slots) {
            parts.add(Arbitraries.frequencyOf(Tuple.of(4 * slot.presentInTen(), slot.member().list().ofSize(1)),
                    Tuple.of(4 * (10 - slot.presentInTen()), Arbitraries.just(List.of())),
                    Tuple.of(1, slot.member().list().ofSize(2))));
        }
        Arbitrary<Member> unknownMember = Combinators.combine(
                Arbitraries.of("password", "ttl", "clientID", "", "to ", "\u00fc", "__proto__"),
                Arbitraries.of("1", "null", "\"x\"", "{}", "[]")).as((name, json) -> new Member(name, json,
                Validity.INVALID));
        parts.add(Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(List.of())),
                Tuple.of(1, unknownMember.list().ofSize(1))));
        return Combinators.combine(parts).as(lists -> lists.stream().flatMap(List::stream).toList())
                .flatMap(list -> Arbitraries.shuffle(list));
    }

    private static Arbitrary<Member> member(String name, Arbitrary<Member> values) {
        return values.map(value -> new Member(name, value.json(), value.validity()));
    }

    private static Arbitrary<Member> clientIds() {
        Arbitrary<Member> valid = Arbitraries.strings().withChars(CHARS_OF_IDS).ofMinLength(1).ofMaxLength(20)
                .map(id -> ClientIds.isValid(id) ? valid(quote(id)) : invalid(quote(id))); // "." and ".." are not
        // Also used for "to", which takes an array: ["a b"] is wrong there too (no valid id).
        return Arbitraries.frequencyOf(Tuple.of(8, valid), Tuple.of(1, Arbitraries.of(
                invalid("\"\""), invalid("\"has space\""), invalid("\"sl/ash\""), invalid("\"\\u00fcber\""),
                invalid("\"" + "a".repeat(129) + "\""), invalid("12"), invalid("true"),
                invalid("[\"a b\"]"),
                invalid("{\"clientId\":\"a\"}"), nullValue())));
    }

    private static Arbitrary<Member> secrets() {
        Arbitrary<Member> valid = Arbitraries.strings().ascii().ofMinLength(8).ofMaxLength(40)
                .map(secret -> valid(quote(secret)));
        return Arbitraries.frequencyOf(Tuple.of(6, valid), Tuple.of(1, Arbitraries.of(
                invalid("\"short\""), invalid("\"" + "s".repeat(257) + "\""), invalid("12345678"),
                invalid("[\"secret-123\"]"), invalid("false"), nullValue(),
                // allowed by the rules, however odd: they must not break anything either
                either("\"\\ud800\\udbff-lone-surrogates\""), either("\"tab\\tnewline\\n-nul\\u0000\""))));
    }

    private static Arbitrary<String> strings() {
        return Arbitraries.strings().all().ofMaxLength(30);
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(200);
        Arbitrary<byte[]> cutShort = Arbitraries.of("{\"clientId\":\"a\",\"secret\":\"s3cret-1234\"}",
                        "{\"to\":[\"a\",\"b\"],\"payload\":\"x\"}", "{\"a\":[1,2,{\"b\":null}]}")
                .flatMap(json -> Arbitraries.integers().between(1, json.length() - 1)
                        .map(n -> json.substring(0, n).getBytes(StandardCharsets.UTF_8)));
        Arbitrary<byte[]> notUtf8 = Arbitraries.of(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'},
                new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'},
                new byte[] {(byte) 0xFE, (byte) 0xFF, 0, '{', 0, '}'}, new byte[] {0, 0, 0, '{'},
                new byte[] {'{', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ':', '1', '}'});
        Arbitrary<byte[]> scalars = Arbitraries.of("1", "\"text\"", "null", "true", "[]", "[{}]", "1e999999",
                "-", "{", "}", "{]", "{\"a\":}", "{\"a\" 1}", "{'a':1}", "{\"a\":1,}", "{}{}", "NaN", "\uFEFF{")
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(bytes, cutShort, notUtf8, scalars);
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of("/api/v1/devices", "/api/v1/login", "/api/v1/push");
    }

    // ---- JSON text ----

    private static Member valid(String json) {
        return new Member("", json, Validity.VALID);
    }

    private static Member invalid(String json) {
        return new Member("", json, Validity.INVALID);
    }

    private static Member either(String json) {
        return new Member("", json, Validity.EITHER);
    }

    /** JSON null: the same as a missing member. */
    private static Member nullValue() {
        return new Member("", "null", Validity.VALID);
    }

    /** An array of the elements; a null element is no client id, unlike a null member. */
    private static Member array(List<Member> elements) {
        Validity validity = elements.stream().map(e -> e.present() ? e.validity() : Validity.INVALID)
                .reduce(Validity.VALID, Validity::and);
        return new Member("", "[" + elements.stream().map(Member::json).collect(Collectors.joining(",")) + "]",
                validity);
    }

    private static String object(List<Member> members) {
        return "{" + members.stream().map(Member::text).collect(Collectors.joining(",")) + "}";
    }

    static String quote(String s) {
        try {
            return TestApi.JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unquote(String json) {
        try {
            JsonNode node = TestApi.JSON.readTree(json);
            return node.isTextual() ? node.textValue() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Whether the API takes {@code text} as a JSON payload: one JSON value, nothing after it. */
    private static boolean isJson(String text) {
        if (text == null || text.isBlank()) {
            return false;
        }
        try {
            STRICT.readTree(text);
            return true;
        } catch (JsonProcessingException e) {
            return false;
        }
    }
}
