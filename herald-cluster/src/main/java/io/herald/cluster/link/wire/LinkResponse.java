package io.herald.cluster.link.wire;

import io.herald.core.push.PushResult;
import io.herald.core.session.SessionInfo;
import io.netty.buffer.ByteBuf;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A gateway's answer to a {@link LinkRequest}, carrying the request's id. */
public sealed interface LinkResponse extends LinkFrame {

    /** The answer to BROADCAST. Body: message id i64, online i32, stored i32, dropped i32. */
    record Pushed(long requestId, PushResult result) implements LinkResponse {
        public Pushed {
            Objects.requireNonNull(result, "result");
        }

        @Override
        public LinkFrameType type() {
            return LinkFrameType.PUSHED;
        }

        @Override
        public void writeBody(ByteBuf out) {
            out.writeLong(result.messageId());
            out.writeInt(result.online());
            out.writeInt(result.stored());
            out.writeInt(result.dropped());
        }

        static Pushed read(long requestId, ByteBuf body) {
            return new Pushed(requestId,
                    new PushResult(body.readLong(), body.readInt(), body.readInt(), body.readInt()));
        }
    }

    /**
     * The answer to HAND_OVER: one entry per push, in the request's order. Body: count i32, then per push: online i32
     * (targets connected here, handed the message), the ids not connected here (client ids; usually none).
     */
    record HandedOver(long requestId, List<io.herald.core.push.HandedOver> answers) implements LinkResponse {
        /** The shortest entry: online and an empty id list. */
        private static final int MIN_ENTRY_BYTES = 4 + 4;

        public HandedOver {
            answers = List.copyOf(answers);
        }

        @Override
        public LinkFrameType type() {
            return LinkFrameType.HANDED_OVER;
        }

        @Override
        public void writeBody(ByteBuf out) {
            out.writeInt(answers.size());
            for (io.herald.core.push.HandedOver answer : answers) {
                out.writeInt(answer.online());
                WireValues.writeClientIds(out, answer.notHeld());
            }
        }

        @Override
        public int estimatedBodyLength() {
            return 4 + answers.stream().mapToInt(answer -> 4 + WireValues.estimatedLength(answer.notHeld())).sum();
        }

        static HandedOver read(long requestId, ByteBuf body) {
            int count = body.readInt();
            if (count < 0 || count > body.readableBytes() / MIN_ENTRY_BYTES) {
                throw new MalformedLinkFrameException("answer count " + count + " does not fit the body");
            }
            List<io.herald.core.push.HandedOver> answers = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int online = body.readInt();
                if (online < 0) {
                    throw new MalformedLinkFrameException("online count " + online + " is negative");
                }
                answers.add(new io.herald.core.push.HandedOver(online, WireValues.readClientIds(body)));
            }
            return new HandedOver(requestId, answers);
        }
    }

    /** The answer to KICK. Body: kicked (u8 0/1). */
    record Kicked(long requestId, boolean kicked) implements LinkResponse {
        @Override
        public LinkFrameType type() {
            return LinkFrameType.KICKED;
        }

        @Override
        public void writeBody(ByteBuf out) {
            out.writeBoolean(kicked);
        }

        static Kicked read(long requestId, ByteBuf body) {
            return new Kicked(requestId, WireValues.readBoolean(body));
        }
    }

    /**
     * The answer to FIND. Body: present (u8 0/1); when present: client id, session id (strings), connectedAt (epoch
     * seconds i64, nanoseconds i32), transport, remote address, gateway id (strings).
     */
    record Found(long requestId, Optional<SessionInfo> session) implements LinkResponse {
        public Found {
            Objects.requireNonNull(session, "session");
        }

        @Override
        public LinkFrameType type() {
            return LinkFrameType.FOUND;
        }

        @Override
        public void writeBody(ByteBuf out) {
            out.writeBoolean(session.isPresent());
            session.ifPresent(info -> {
                WireValues.writeString(out, info.clientId());
                WireValues.writeString(out, info.sessionId());
                out.writeLong(info.connectedAt().getEpochSecond());
                out.writeInt(info.connectedAt().getNano());
                WireValues.writeString(out, info.transport());
                WireValues.writeString(out, info.remoteAddress());
                WireValues.writeString(out, info.gatewayId());
            });
        }

        static Found read(long requestId, ByteBuf body) {
            if (!WireValues.readBoolean(body)) {
                return new Found(requestId, Optional.empty());
            }
            String clientId = WireValues.readString(body);
            String sessionId = WireValues.readString(body);
            long seconds = body.readLong();
            int nanos = body.readInt();
            if (nanos < 0 || nanos > 999_999_999) {
                throw new MalformedLinkFrameException("connectedAt nanoseconds out of range: " + nanos);
            }
            SessionInfo info = new SessionInfo(clientId, sessionId, Instant.ofEpochSecond(seconds, nanos),
                    WireValues.readString(body), WireValues.readString(body), WireValues.readString(body));
            return new Found(requestId, Optional.of(info));
        }
    }

    /** The answer to ONLINE_COUNT. Body: count i32. */
    record Counted(long requestId, int count) implements LinkResponse {
        @Override
        public LinkFrameType type() {
            return LinkFrameType.COUNTED;
        }

        @Override
        public void writeBody(ByteBuf out) {
            out.writeInt(count);
        }

        static Counted read(long requestId, ByteBuf body) {
            return new Counted(requestId, body.readInt());
        }
    }

    /** The answer to STORE_CHANGED. No body. */
    record Done(long requestId) implements LinkResponse {
        @Override
        public LinkFrameType type() {
            return LinkFrameType.DONE;
        }

        @Override
        public void writeBody(ByteBuf out) {
        }
    }
}
