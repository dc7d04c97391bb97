package io.herald.cluster.link;

import io.herald.cluster.link.wire.LinkFrame;
import io.herald.cluster.link.wire.LinkFrameDecoder;
import io.herald.cluster.link.wire.LinkFrameEncoder;
import io.herald.cluster.link.wire.LinkWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/** A plain blocking socket to a link server, for sending what a well-behaved API node never would. */
final class RawLinkClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawLinkClient(int port) throws IOException {
        socket = new Socket(TestGateway.HOST, port);
        socket.setSoTimeout(5_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** The next frame from the server, decoded. */
    LinkFrame read() throws IOException {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        ByteBuf buffer = Unpooled.wrappedBuffer(frame);
        try {
            return LinkFrameDecoder.decode(buffer);
        } finally {
            buffer.release();
        }
    }

    void send(LinkFrame frame) throws IOException {
        ByteBuf encoded = Unpooled.buffer();
        try {
            LinkFrameEncoder.encode(frame, encoded, Integer.MAX_VALUE);
            byte[] bytes = new byte[encoded.readableBytes()];
            encoded.readBytes(bytes);
            sendBytes(bytes);
        } finally {
            encoded.release();
        }
    }

    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Whether the server closes the connection (end of stream) before the read timeout. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** A length field and a header as given, no body: to send lengths and versions no encoder would write. */
    static byte[] header(int length, int version, int type) {
        return ByteBuffer.allocate(LinkWire.LENGTH_FIELD_LENGTH + LinkWire.HEADER_LENGTH)
                .putInt(length).put((byte) version).put((byte) type).putLong(1).array();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
