package io.herald.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The wire codes of the protocol's enumerations: unique, in range, and looked up both ways. */
class ProtocolEnumsTest {

    @Test
    void frameTypes() {
        assertThat(Arrays.stream(FrameType.values()).mapToInt(FrameType::code))
                .containsExactly(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09);
        for (FrameType type : FrameType.values()) {
            assertThat(FrameType.ofCode(type.code())).isSameAs(type);
        }
        for (int code : new int[] {-1, 0, 0x0A, 0xFF, 0x100}) {
            assertThat(FrameType.ofCode(code)).isNull();
        }
    }

    @Test
    void contentTypes() {
        assertThat(Arrays.stream(ContentType.values()).mapToInt(ContentType::code)).containsExactly(1, 2, 3, 4, 5, 6);
        for (ContentType type : ContentType.values()) {
            assertThat(ContentType.ofCode(type.code())).isSameAs(type);
            assertThat(ContentType.ofLabel(type.label())).isSameAs(type);
            assertThat(ContentType.ofLabel(type.label().toUpperCase())).isSameAs(type);
            assertThat(type.isTextual()).isEqualTo(type == ContentType.TEXT || type == ContentType.JSON);
        }
        assertThat(ContentType.ofCode(0)).isNull();
        assertThat(ContentType.ofCode(7)).isNull();
        assertThat(ContentType.ofCode(-1)).isNull();
        assertThat(ContentType.ofCode(256)).isNull();
        assertThat(ContentType.ofLabel("pdf")).isNull();
        assertThat(ContentType.ofLabel(null)).isNull();
    }

    @Test
    void qos() {
        assertThat(Qos.ofLevel(0)).isSameAs(Qos.AT_MOST_ONCE);
        assertThat(Qos.ofLevel(1)).isSameAs(Qos.AT_LEAST_ONCE);
        assertThat(Qos.ofLevel(2)).isNull();
        assertThat(Qos.ofLevel(-1)).isNull();
    }

    @Test
    void ackStatuses() {
        assertThat(Arrays.stream(AckStatus.values()).mapToInt(AckStatus::code)).containsExactly(0, 1, 2);
        for (AckStatus status : AckStatus.values()) {
            assertThat(AckStatus.ofCode(status.code())).isSameAs(status);
        }
        assertThat(AckStatus.ofCode(3)).isNull();
        assertThat(AckStatus.ofCode(-1)).isNull();
    }

    @Test
    void noticeKinds() {
        assertThat(Arrays.stream(NoticeKind.values()).mapToInt(NoticeKind::code)).containsExactly(1, 2, 3);
        for (NoticeKind kind : NoticeKind.values()) {
            assertThat(NoticeKind.ofCode(kind.code())).isSameAs(kind);
        }
        assertThat(NoticeKind.ofCode(0)).isNull();
        assertThat(NoticeKind.ofCode(4)).isNull();
    }

    @Test
    void errorCodesAreUniqueU16sAndUnknownOnesMapToInternalError() {
        assertThat(Arrays.stream(ErrorCode.values()).mapToInt(ErrorCode::code)).doesNotHaveDuplicates()
                .allMatch(code -> code > 0 && code <= 0xFFFF);
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(ErrorCode.ofCode(code.code())).isSameAs(code);
        }
        assertThat(ErrorCode.ofCode(0)).isSameAs(ErrorCode.INTERNAL_ERROR);
        assertThat(ErrorCode.ofCode(999)).isSameAs(ErrorCode.INTERNAL_ERROR);
    }

    @Test
    void limits() {
        assertThat(Wire.DEFAULT_MAX_BODY_LENGTH).isEqualTo(65_536);
        assertThat(Wire.HARD_MAX_BODY_LENGTH).isEqualTo(8_388_608);
        assertThat(Wire.MAX_STRING_BYTES).isEqualTo(65_535);
        assertThat(Wire.MAX_TRACE_ID_LENGTH).isEqualTo(64);
        assertThat(Wire.MAGIC).isEqualTo((byte) 'H');
    }
}
