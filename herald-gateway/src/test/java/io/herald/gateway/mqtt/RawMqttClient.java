package io.herald.gateway.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An MQTT client that sends exactly the packets (or bytes) a test gives it, also the ones real clients never send:
 * Netty's encoder and decoder in an {@code EmbeddedChannel} over a plain socket.
 */
final class RawMqttClient implements AutoCloseable {
    private static final int READ_TIMEOUT_MILLIS = 10_000;

    private final Socket socket;
    private final InputStream in;
    private final EmbeddedChannel codec = new EmbeddedChannel(new MqttDecoder(1 << 20), MqttEncoder.INSTANCE);

    RawMqttClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        in = socket.getInputStream();
    }

    static MqttConnectMessage connect(MqttVersion version, String clientId, String password, int keepAliveSeconds) {
        return connect(version, clientId, password, keepAliveSeconds, true, MqttProperties.NO_PROPERTIES);
    }

    /** A CONNECT with the clean session (3.1.1) or clean start (5) flag and MQTT 5 properties as given. */
    static MqttConnectMessage connect(MqttVersion version, String clientId, String password, int keepAliveSeconds,
                                      boolean cleanSession, MqttProperties properties) {
        MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect().protocolVersion(version)
                .clientId(clientId).cleanSession(cleanSession).keepAlive(keepAliveSeconds).properties(properties);
        if (password != null) {
            connect.hasUser(true).username(clientId).hasPassword(true)
                    .password(password.getBytes(StandardCharsets.UTF_8));
        }
        return connect.build();
    }

    /** Encodes the packets (the encoder learns the version from a CONNECT) and sends them in one write. */
    RawMqttClient send(MqttMessage... packets) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (MqttMessage packet : packets) {
            codec.writeOutbound(packet);
            for (ByteBuf encoded = codec.readOutbound(); encoded != null; encoded = codec.readOutbound()) {
                bytes.writeBytes(ByteBufUtil.getBytes(encoded));
                encoded.release();
            }
        }
        return sendBytes(bytes.toByteArray());
    }

    RawMqttClient sendBytes(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** The next packet from the gateway; null when it closed the connection instead. */
    MqttMessage read() throws IOException {
        byte[] buffer = new byte[8192];
        while (true) {
            MqttMessage packet = codec.readInbound();
            if (packet != null) {
                return packet;
            }
            int n = in.read(buffer);
            if (n < 0) {
                return null;
            }
            codec.writeInbound(Unpooled.copiedBuffer(buffer, 0, n));
        }
    }

    /** Whether the gateway closes the connection within {@code wait}, with no further packet before. */
    boolean closedWithin(Duration wait) throws IOException {
        try {
            return readWithin(wait) == null;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** Whether the gateway sends nothing for {@code wait} and keeps the connection open. */
    boolean silentFor(Duration wait) throws IOException {
        try {
            ReferenceCountUtil.release(readWithin(wait));
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        }
    }

    private MqttMessage readWithin(Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        try {
            return read();
        } finally {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        }
    }

    @Override
    public void close() throws IOException {
        codec.finishAndReleaseAll();
        socket.close();
    }
}
