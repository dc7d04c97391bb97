package io.herald.cluster.link.wire;

import io.herald.cluster.link.LinkEndpoint;
import io.herald.core.message.PushMessage;
import io.herald.core.push.PushResult;
import io.herald.protocol.Qos;
import io.netty.buffer.ByteBuf;
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
     * Push to client ids connected at this gateway. Body: message, client ids. {@code stored}: the API node has
     * already written the QoS 1 message to the offline store for every one of the ids (sent as PUSH_STORED, same
     * body), so the gateway only hands it over and writes nothing.
     */
    record Push(long requestId, PushMessage message, List<String> clientIds, boolean stored) implements LinkRequest {
        public Push {
            Objects.requireNonNull(message, "message");
            clientIds = List.copyOf(clientIds);
        }

        @Override
        public LinkFrameType type() {
            return stored ? LinkFrameType.PUSH_STORED : LinkFrameType.PUSH;
        }

        @Override
        public void writeBody(ByteBuf out) {
            WireValues.writeMessage(out, message);
            WireValues.writeClientIds(out, clientIds);
        }

        @Override
        public int estimatedBodyLength() {
            return WireValues.estimatedLength(message) + WireValues.estimatedLength(clientIds);
        }

        static Push read(long requestId, ByteBuf body) {
            return new Push(requestId, WireValues.readMessage(body), WireValues.readClientIds(body), false);
        }

        static Push readStored(long requestId, ByteBuf body) {
            PushMessage message = WireValues.readMessage(body);
            if (message.qos() != Qos.AT_LEAST_ONCE) {
                throw new MalformedLinkFrameException("only a QoS 1 message is stored, not " + message.qos());
            }
            return new Push(requestId, message, WireValues.readClientIds(body), true);
        }

        @Override
        public CompletableFuture<LinkResponse> servedBy(LinkEndpoint endpoint) {
            CompletableFuture<PushResult> result = stored
                    ? endpoint.pushStored(message, clientIds) : endpoint.push(message, clientIds);
            return result.thenApply(pushed -> new LinkResponse.Pushed(requestId, pushed));
        }

        @Override
        public LinkRequest withRequestId(long id) {
            return new Push(id, message, clientIds, stored);
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
