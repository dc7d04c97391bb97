package io.herald.cluster.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.message.UpstreamMessage;
import io.herald.protocol.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class UpstreamRecordCodecTest {

    @Test
    void keyIsTheClientIdAndTheTraceIdTravelsInAHeader() {
        UpstreamMessage message = new UpstreamMessage("sensor-7", 9, 42, ContentType.JSON,
                "{\"t\":21.5}".getBytes(StandardCharsets.UTF_8), "trace-1", 1_000, 1_005);

        ProducerRecord<String, byte[]> record = UpstreamRecordCodec.toRecord("herald.upstream", message);

        assertThat(record.topic()).isEqualTo("herald.upstream");
        assertThat(record.key()).isEqualTo("sensor-7");
        assertThat(record.partition()).isNull();
        assertThat(record.headers().lastHeader(UpstreamRecordCodec.TRACE_ID_HEADER).value())
                .isEqualTo("trace-1".getBytes(StandardCharsets.UTF_8));
        assertThat(record.value()).hasSize(UpstreamRecordCodec.HEADER_LENGTH + 10);
        assertThat(record.value()[0]).isEqualTo(UpstreamRecordCodec.FORMAT_VERSION);
    }

    @Test
    void everyFieldSurvivesTheRoundTrip() {
        UpstreamMessage traced = new UpstreamMessage("é-client", Long.MIN_VALUE, Long.MAX_VALUE, ContentType.AUDIO,
                new byte[] {0, -1, 127, -128}, "trace-ü", -3, Long.MIN_VALUE);
        UpstreamMessage untraced = new UpstreamMessage("c", 0, 0, ContentType.TEXT, new byte[0], null, 0, 0);

        assertThat(roundTrip(traced)).isEqualTo(traced);
        assertThat(roundTrip(untraced)).isEqualTo(untraced);
    }

    @Test
    void recordsOfAnotherLayoutAreRejectedWithTheirPosition() {
        byte[] value = UpstreamRecordCodec.encodeValue(
                new UpstreamMessage("c", 0, 1, ContentType.TEXT, new byte[] {1}, null, 0, 0));

        byte[] newerVersion = value.clone();
        newerVersion[0] = 2;
        assertThatThrownBy(() -> UpstreamRecordCodec.fromRecord(consumed("c", newerVersion)))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessage("record at t-3@99: format version 2 is not known (this archiver reads version 1; "
                        + "upgrade archivers before gateways)");

        byte[] unknownType = value.clone();
        unknownType[1] = 99;
        assertThatThrownBy(() -> UpstreamRecordCodec.fromRecord(consumed("c", unknownType)))
                .hasMessageContaining("content type code 99 is not known");
        assertThatThrownBy(() -> UpstreamRecordCodec.fromRecord(consumed("c", new byte[3])))
                .hasMessageContaining("value of 3 bytes is shorter than the 26-byte header");
        assertThatThrownBy(() -> UpstreamRecordCodec.fromRecord(consumed(null, value)))
                .hasMessageContaining("has no key");
    }

    @Test
    void theGenerationTravelsInAHeaderAndARecordWithoutOneIsOfGenerationZero() {
        UpstreamMessage message = new UpstreamMessage("c", -5, 1, ContentType.TEXT, new byte[] {1}, null, 0, 0);
        ProducerRecord<String, byte[]> produced = UpstreamRecordCodec.toRecord("t", message);
        assertThat(produced.headers().lastHeader(UpstreamRecordCodec.GENERATION_HEADER).value())
                .containsExactly(-1, -1, -1, -1, -1, -1, -1, -5);

        // written by a gateway that predates generations
        ConsumerRecord<String, byte[]> older = consumed("c", produced.value());
        assertThat(UpstreamRecordCodec.fromRecord(older).generation()).isZero();

        ConsumerRecord<String, byte[]> malformed = consumed("c", produced.value());
        malformed.headers().add(UpstreamRecordCodec.GENERATION_HEADER, new byte[] {1, 2});
        assertThatThrownBy(() -> UpstreamRecordCodec.fromRecord(malformed))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessage("record at t-3@99 has a malformed herald-generation header");
    }

    private static UpstreamMessage roundTrip(UpstreamMessage message) {
        ProducerRecord<String, byte[]> produced = UpstreamRecordCodec.toRecord("t", message);
        ConsumerRecord<String, byte[]> consumed = new ConsumerRecord<>("t", 0, 0, 0, TimestampType.CREATE_TIME,
                0, 0, produced.key(), produced.value(), produced.headers(), Optional.empty());
        return UpstreamRecordCodec.fromRecord(consumed);
    }

    private static ConsumerRecord<String, byte[]> consumed(String key, byte[] value) {
        return new ConsumerRecord<>("t", 3, 99, key, value);
    }
}
