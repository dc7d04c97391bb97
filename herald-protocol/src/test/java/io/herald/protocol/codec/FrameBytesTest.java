package io.herald.protocol.codec;

import static io.herald.protocol.testing.Bytes.bytes;
import static io.herald.protocol.testing.Bytes.concat;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.protocol.Wire;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.testing.Bytes;
import io.herald.protocol.testing.Codec;
import io.herald.protocol.testing.WireExamples;
import org.junit.jupiter.api.Test;

/**
 * The exact bytes of one frame of every type, written out by hand. docs/protocol.md shows the same bytes as its
 * worked examples (checked by {@code ProtocolDocExamplesTest}). Header layout: magic, version, type, flags, u32
 * body length; flags are written in binary so the bits are visible.
 */
class FrameBytesTest {

    private static void assertWire(Frame frame, byte[] expected) {
        assertThat(Bytes.hex(Codec.encode(frame))).as("encoding of %s", frame).isEqualTo(Bytes.hex(expected));
        assertThat(Codec.decodeOne(expected)).as("decoding of %s", Bytes.hex(expected)).isEqualTo(frame);
    }

    @Test
    void auth() {
        assertWire(WireExamples.AUTH, concat(
                bytes(0x48, 0x01, 0x01, 0b0000_0000, 0x00, 0x00, 0x00, 0x08),
                bytes(0x00, 0x06, 's', 'e', 'c', 'r', 'e', 't')));
    }

    @Test
    void authOk() {
        assertWire(WireExamples.AUTH_OK, concat(
                bytes(0x48, 0x01, 0x02, 0b0000_0000, 0x00, 0x00, 0x00, 0x14),
                bytes(0x00, 0x00, 0x75, 0x30),                         // heartbeat 30000 ms
                bytes(0x00, 0x06, 'd', 'e', 'v', '-', '4', '2'),        // client id
                bytes(0x00, 0x06, 's', '-', '7', 'f', '3', 'a')));      // session id
    }

    @Test
    void authFail() {
        assertWire(WireExamples.AUTH_FAIL, concat(
                bytes(0x48, 0x01, 0x03, 0b0000_0000, 0x00, 0x00, 0x00, 0x11),
                bytes(0x00, 0x0C),                                      // INVALID_TOKEN
                bytes(0x00, 0x0D, 't', 'o', 'k', 'e', 'n', ' ', 'e', 'x', 'p', 'i', 'r', 'e', 'd')));
    }

    @Test
    void ping() {
        assertWire(WireExamples.PING, bytes(0x48, 0x01, 0x04, 0b0000_0000, 0x00, 0x00, 0x00, 0x00));
    }

    @Test
    void pong() {
        assertWire(WireExamples.PONG, bytes(0x48, 0x01, 0x05, 0b0000_0000, 0x00, 0x00, 0x00, 0x00));
    }

    @Test
    void messageQos0() {
        assertWire(WireExamples.MESSAGE_QOS0, concat(
                bytes(0x48, 0x01, 0x06, 0b0000_0000, 0x00, 0x00, 0x00, 0x13),
                bytes(0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01),  // message id 1
                bytes(0x01),                                            // TEXT
                bytes(0x00, 0x00, 0x01, 0x8B, 0xCF, 0xE5, 0x68, 0x00),  // 1700000000000 ms
                bytes('h', 'i')));
    }

    @Test
    void messageQos1() {
        assertWire(WireExamples.MESSAGE_QOS1, concat(
                bytes(0x48, 0x01, 0x06, 0b0000_0001, 0x00, 0x00, 0x00, 0x1B), // QOS_1
                bytes(0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07),
                bytes(0x02),                                                    // JSON
                bytes(0x00, 0x00, 0x01, 0x8B, 0xCF, 0xE5, 0x68, 0x00),
                bytes('{', '"', 't', '"', ':', '2', '1', '.', '5', '}')));
    }

    @Test
    void messageQos1DuplicateWithTrace() {
        assertWire(WireExamples.MESSAGE_QOS1_DUPLICATE_TRACE, concat(
                bytes(0x48, 0x01, 0x06, 0b0000_0111, 0x00, 0x00, 0x00, 0x22), // QOS_1 | DUPLICATE | TRACE
                bytes(0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF),
                bytes(0x02),
                bytes(0x00, 0x00, 0x01, 0x8B, 0xCF, 0xE5, 0x68, 0x7B),          // 1700000000123 ms
                bytes(0x05, 'r', 'e', 'q', '-', '7'),                            // trace id
                bytes('{', '"', 'o', 'n', '"', ':', 't', 'r', 'u', 'e', '}')));
    }

    @Test
    void ackOk() {
        assertWire(WireExamples.ACK_OK, concat(
                bytes(0x48, 0x01, 0x07, 0b0000_0000, 0x00, 0x00, 0x00, 0x0B),
                bytes(0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07),
                bytes(0x00),                                            // OK
                bytes(0x00, 0x00)));                                    // empty reason
    }

    @Test
    void ackRejectedWithMultiByteReason() {
        assertWire(WireExamples.ACK_REJECTED, concat(
                bytes(0x48, 0x01, 0x07, 0b0000_0000, 0x00, 0x00, 0x00, 0x14),
                bytes(0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08),
                bytes(0x01),                                            // REJECTED
                bytes(0x00, 0x09, 'u', 'n', 'g', 0xC3, 0xBC, 'l', 't', 'i', 'g'))); // "ungültig": 8 chars, 9 bytes
    }

    @Test
    void error() {
        assertWire(WireExamples.ERROR, concat(
                bytes(0x48, 0x01, 0x08, 0b0000_0000, 0x00, 0x00, 0x00, 0x10),
                bytes(0x00, 0x0B),                                      // AUTH_TIMEOUT
                bytes(0x00, 0x0C, 'a', 'u', 't', 'h', ' ', 't', 'i', 'm', 'e', 'o', 'u', 't')));
    }

    @Test
    void noticeKicked() {
        assertWire(WireExamples.NOTICE_KICKED, concat(
                bytes(0x48, 0x01, 0x09, 0b0000_0000, 0x00, 0x00, 0x00, 0x11),
                bytes(0x01),                                            // KICKED
                bytes(0x00, 0x00, 0x00, 0x00),                          // delay 0
                bytes(0x00, 0x08, 'r', 'e', 'p', 'l', 'a', 'c', 'e', 'd'),
                bytes(0x00, 0x00)));                                    // no redirect
    }

    @Test
    void noticeRedirect() {
        assertWire(WireExamples.NOTICE_REDIRECT, concat(
                bytes(0x48, 0x01, 0x09, 0b0000_0000, 0x00, 0x00, 0x00, 0x26),
                bytes(0x03),                                            // REDIRECT
                bytes(0x00, 0x00, 0x07, 0xD0),                          // 2000 ms
                bytes(0x00, 0x09, 'r', 'e', 'b', 'a', 'l', 'a', 'n', 'c', 'e'),
                bytes(0x00, 0x14, 'g', 'w', '2', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'c', 'o', 'm',
                        ':', '7', '0', '0', '0')));
    }

    @Test
    void frameTypesAndFlagsInTheHeader() {
        // Every non-MESSAGE frame has flags 0; the flag bits of MESSAGE are exactly QoS 1, duplicate and trace.
        assertThat(Wire.FLAG_QOS_1).isEqualTo(0b0000_0001);
        assertThat(Wire.FLAG_DUPLICATE).isEqualTo(0b0000_0010);
        assertThat(Wire.FLAG_TRACE).isEqualTo(0b0000_0100);
        assertThat(Wire.KNOWN_MESSAGE_FLAGS).isEqualTo(0b0000_0111);
        assertThat(Wire.HEADER_LENGTH).isEqualTo(8);
    }
}
