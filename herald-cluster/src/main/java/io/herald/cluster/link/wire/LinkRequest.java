package io.herald.cluster.link.wire;

import io.herald.cluster.link.LinkEndpoint;
import io.herald.core.message.PushMessage;
import io.herald.core.push.DevicePush;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A request from an API node to a gateway. Each knows which {@link LinkEndpoint} call serves it and which
 * {@link LinkResponse} answers it, so the gateway's handler is one line and adding a request touches one place.
 */
public sealed interface LinkRequest extends LinkFrame {

    /** Runs the request on the gateway's endpoint; may throw, like the endpoint. */
    CompletableFuture<LinkResponse> servedBy(LinkEndpoint endpoint);

    /** A copy with another request id: the API node numbers a request when it sends it. */
    LinkRequest withRequestId(long id);

    /**
     * Hand messages to those of their client ids connected at this gateway (HAND_OVER). Body: push count i32, then
     * per push: message, client ids. Every QoS 1 message has already been written to the offline store by the API
     * node for every one of its ids, durably, so the gateway only hands over and writes nothing. The gateway hands
     * the pushes over in body order. {@link #frames} cuts a long list into frames of bounded size.
     */
    record HandOver(long requestId, List<DevicePush> pushes) implements LinkRequest {
        /** At most this many pushes in one frame: the push API's largest batch. */
        public static final int MAX_PUSHES_PER_FRAME = 1_000;
        /**
         * A frame is closed before the push that would take its body above this many bytes (a push that is larger
         * on its own goes alone, up to the link's maximum frame length): the gateway decodes and hands over a whole
         * frame on its link event loop before reading the next, so this bounds that work and each end's memory per
         * frame, while a batch of 1,000 small messages still travels in one frame.
         */
        public static final int TARGET_BODY_BYTES = 1024 * 1024;
        /** The shortest encoded push: a message without payload or trace id, and an empty id list. */
        private static final int MIN_PUSH_BYTES = WireValues.MIN_MESSAGE_BYTES + 4;

        public HandOver {
            pushes = List.copyOf(pushes);
            if (pushes.isEmpty()) {
                throw new IllegalArgumentException("a hand-over carries at least one push");
            }
        }

        /** The pushes in consecutive frames' worth, in order, each within the bounds above. */
        public static List<List<DevicePush>> frames(List<DevicePush> pushes) {
            List<List<DevicePush>> frames = new ArrayList<>();
            List<DevicePush> current = new ArrayList<>();
            int bytes = 4;
            for (DevicePush push : pushes) {
                int length = estimatedLength(push);
                if (!current.isEmpty() && (current.size() == MAX_PUSHES_PER_FRAME
                        || bytes + length > TARGET_BODY_BYTES)) {
                    frames.add(current);
                    current = new ArrayList<>();
                    bytes = 4;
                }
                current.add(push);
                bytes += length;
            }
            if (!current.isEmpty()) {
                frames.add(current);
            }
            return frames;
        }

        @Override
        public LinkFrameType type() {
            return LinkFrameType.HAND_OVER;
        }

        @Override
        public void writeBody(ByteBuf out) {
            out.writeInt(pushes.size());
            for (DevicePush push : pushes) {
                WireValues.writeMessage(out, push.message());
                WireValues.writeClientIds(out, push.clientIds());
            }
        }

        @Override
        public int estimatedBodyLength() {
            return 4 + pushes.stream().mapToInt(HandOver::estimatedLength).sum();
        }

        private static int estimatedLength(DevicePush push) {
            return WireValues.estimatedLength(push.message()) + WireValues.estimatedLength(push.clientIds());
        }

        static HandOver read(long requestId, ByteBuf body) {
            int count = body.readInt();
            if (count < 1 || count > MAX_PUSHES_PER_FRAME || count > body.readableBytes() / MIN_PUSH_BYTES) {
                throw new MalformedLinkFrameException("push count " + count + " is not 1-" + MAX_PUSHES_PER_FRAME
                        + " or does not fit the body");
            }
            List<DevicePush> pushes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                pushes.add(new DevicePush(WireValues.readMessage(body), WireValues.readClientIds(body)));
            }
            return new HandOver(requestId, pushes);
        }

        @Override
        public CompletableFuture<LinkResponse> servedBy(LinkEndpoint endpoint) {
            return endpoint.handOver(pushes).thenApply(answers -> new LinkResponse.HandedOver(requestId, answers));
        }

        @Override
        public LinkRequest withRequestId(long id) {
            return new HandOver(id, pushes);
        }
    }

    /** Push to every device connected at this gateway. Body: message. */
    record Broadcast(long requestId, PushMessage message) implements LinkRequest {
        public Broadcast {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public LinkFrameType type() {
            return LinkFrameType.BROADCAST;
        }

        @Override
        public void writeBody(ByteBuf out) {
            WireValues.writeMessage(out, message);
        }

        @Override
        public int estimatedBodyLength() {
            return WireValues.estimatedLength(message);
        }

        static Broadcast read(long requestId, ByteBuf body) {
            return new Broadcast(requestId, WireValues.readMessage(body));
        }

        @Override
        public CompletableFuture<LinkResponse> servedBy(LinkEndpoint endpoint) {
            return endpoint.broadcast(message).thenApply(result -> new LinkResponse.Pushed(requestId, result));
        }

        @Override
        public LinkRequest withRequestId(long id) {
            return new Broadcast(id, message);
        }
    }

    /** Close the client's connection at this gateway. Body: client id (string), reason (string). */
    record Kick(long requestId, String clientId, String reason) implements LinkRequest {
        public Kick {
            Objects.requireNonNull(clientId, "clientId");
        }

        @Override
        public LinkFrameType type() {
            return LinkFrameType.KICK;
        }

        @Override
        public void writeBody(ByteBuf out) {
            WireValues.writeString(out, clientId);
            WireValues.writeString(out, reason);
        }

        static Kick read(long requestId, ByteBuf body) {
            return new Kick(requestId, WireValues.readRequiredString(body, "client id"), WireValues.readString(body));
        }

        @Override
        public CompletableFuture<LinkResponse> servedBy(LinkEndpoint endpoint) {
            return CompletableFuture.completedFuture(
                    new LinkResponse.Kicked(requestId, endpoint.kick(clientId, reason)));
        }

        @Override
        public LinkRequest withRequestId(long id) {
            return new Kick(id, clientId, reason);
        }
    }

    /** The client's session at this gateway. Body: client id (string). */
    record Find(long requestId, String clientId) implements LinkRequest {
        public Find {
            Objects.requireNonNull(clientId, "clientId");
        }

        @Override
        public LinkFrameType type() {
            return LinkFrameType.FIND;
        }

        @Override
        public void writeBody(ByteBuf out) {
            WireValues.writeString(out, clientId);
        }

        static Find read(long requestId, ByteBuf body) {
            return new Find(requestId, WireValues.readRequiredString(body, "client id"));
        }

        @Override
        public CompletableFuture<LinkResponse> servedBy(LinkEndpoint endpoint) {
            return CompletableFuture.completedFuture(new LinkResponse.Found(requestId, endpoint.find(clientId)));
        }

        @Override
        public LinkRequest withRequestId(long id) {
            return new Find(id, clientId);
        }
    }

    /** How many devices are connected at this gateway. No body. */
    record OnlineCount(long requestId) implements LinkRequest {
        @Override
        public LinkFrameType type() {
            return LinkFrameType.ONLINE_COUNT;
        }

        @Override
        public void writeBody(ByteBuf out) {
        }

        @Override
        public CompletableFuture<LinkResponse> servedBy(LinkEndpoint endpoint) {
            return CompletableFuture.completedFuture(new LinkResponse.Counted(requestId, endpoint.onlineCount()));
        }

        @Override
        public LinkRequest withRequestId(long id) {
            return new OnlineCount(id);
        }
    }

    /** Messages were stored for these clients: those connected here re-read the store. Body: client ids. */
    record StoreChanged(long requestId, List<String> clientIds) implements LinkRequest {
        public StoreChanged {
            clientIds = List.copyOf(clientIds);
        }

        @Override
        public LinkFrameType type() {
            return LinkFrameType.STORE_CHANGED;
        }

        @Override
        public void writeBody(ByteBuf out) {
            WireValues.writeClientIds(out, clientIds);
        }

        @Override
        public int estimatedBodyLength() {
            return WireValues.estimatedLength(clientIds);
        }

        static StoreChanged read(long requestId, ByteBuf body) {
            return new StoreChanged(requestId, WireValues.readClientIds(body));
        }

        @Override
        public CompletableFuture<LinkResponse> servedBy(LinkEndpoint endpoint) {
            endpoint.storeChanged(clientIds);
            return CompletableFuture.completedFuture(new LinkResponse.Done(requestId));
        }

        @Override
        public LinkRequest withRequestId(long id) {
            return new StoreChanged(id, clientIds);
        }
    }
}
