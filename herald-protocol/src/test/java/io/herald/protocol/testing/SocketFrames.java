package io.herald.protocol.testing;

import io.herald.protocol.Wire;
import io.herald.protocol.codec.FrameCodec;
import io.herald.protocol.frame.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;

/**
 * Device frames over a plain blocking socket, for tests whose device must do what the SDK never would (send
 * garbage, never ack).
 */
public final class SocketFrames {
    private SocketFrames() {
    }

    public static Socket connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5_000);
        return socket;
    }

    public static void write(Socket socket, Frame frame) throws IOException {
        socket.getOutputStream().write(encode(frame));
    }

    /** The frame's bytes on the wire, for a test that writes them together with other bytes. */
    public static byte[] encode(Frame frame) {
        ByteBuf buf = FrameCodec.encode(ByteBufAllocator.DEFAULT, frame);
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    /** The next whole frame; throws on a read timeout or a closed connection. */
    public static Frame read(Socket socket) throws Exception {
        DataInputStream data = new DataInputStream(socket.getInputStream());
        byte[] header = new byte[Wire.HEADER_LENGTH];
        data.readFully(header);
        int length = ((header[4] & 0xFF) << 24) | ((header[5] & 0xFF) << 16) | ((header[6] & 0xFF) << 8)
                | (header[7] & 0xFF);
        byte[] body = new byte[length];
        data.readFully(body);
        return FrameCodec.decodeBody(header[Wire.TYPE_OFFSET] & 0xFF, header[Wire.FLAGS_OFFSET] & 0xFF,
                Unpooled.wrappedBuffer(body));
    }
}
