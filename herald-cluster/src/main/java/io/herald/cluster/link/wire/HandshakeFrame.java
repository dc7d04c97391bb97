package io.herald.cluster.link.wire;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * The three frames that open a link: the gateway's CHALLENGE, the API node's AUTH, the gateway's AUTH_OK. All carry
 * request id {@link LinkWire#NO_REQUEST}. A refusal is an {@link LinkError}.
 */
public sealed interface HandshakeFrame extends LinkFrame {

    @Override
    default long requestId() {
        return LinkWire.NO_REQUEST;
    }

    /**
     * Sent by the gateway as soon as a connection is accepted.
     *
     * <p>Body: gateway id (string), nonce (u8 length + {@value LinkWire#NONCE_LENGTH} random bytes). The gateway id
     * lets the API node notice that the address it took from ZooKeeper now belongs to another gateway.
     */
    record Challenge(String gatewayId, byte[] nonce) implements HandshakeFrame {
        public Challenge {
            Objects.requireNonNull(gatewayId, "gatewayId");
            Objects.requireNonNull(nonce, "nonce");
        }

        @Override
        public LinkFrameType type() {
            return LinkFrameType.CHALLENGE;
        }

        @Override
        public void writeBody(ByteBuf out) {
            WireValues.writeString(out, gatewayId);
            WireValues.writeShortBytes(out, nonce);
        }

        static Challenge read(long requestId, ByteBuf body) {
            String gatewayId = WireValues.readRequiredString(body, "gateway id");
            byte[] nonce = WireValues.readShortBytes(body, "nonce");
            if (nonce.length != LinkWire.NONCE_LENGTH) {
                throw new MalformedLinkFrameException("the nonce must be " + LinkWire.NONCE_LENGTH + " bytes, was "
                        + nonce.length);
            }
            return new Challenge(gatewayId, nonce);
        }
    }

    /**
     * The API node's answer to the challenge.
     *
     * <p>Body: node id (string), answer (u8 length + 32 bytes of HMAC-SHA256(secret, nonce ‖ UTF-8(node id))).
     */
    record Auth(String nodeId, byte[] answer) implements HandshakeFrame {
        public Auth {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(answer, "answer");
        }

        @Override
        public LinkFrameType type() {
            return LinkFrameType.AUTH;
        }

        @Override
        public void writeBody(ByteBuf out) {
            WireValues.writeString(out, nodeId);
            WireValues.writeShortBytes(out, answer);
        }

        static Auth read(long requestId, ByteBuf body) {
            return new Auth(WireValues.readRequiredString(body, "node id"), WireValues.readShortBytes(body, "answer"));
        }
    }

    /** The gateway accepted the answer; requests may follow. No body. */
    enum AuthOk implements HandshakeFrame {
        INSTANCE;

        @Override
        public LinkFrameType type() {
            return LinkFrameType.AUTH_OK;
        }

        @Override
        public void writeBody(ByteBuf out) {
        }
    }
}
