package io.herald.gateway.mqtt;

import io.herald.core.device.ClientIds;
import io.herald.gateway.handler.DeviceStage;
import io.herald.gateway.pipeline.DeviceProtocol;
import io.herald.gateway.pipeline.HandlerNames;
import io.herald.gateway.session.DeviceSession;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;

/**
 * MQTT 3.1.1 and 5 on a device connection: in front of the device stage, the packet size limit, Netty's MQTT decoder
 * and encoder and the {@link MqttAdapter}; CONNECT as the gate. One per transport ("mqtt" over TCP, "mqtt-websocket").
 */
public final class MqttProtocol implements DeviceProtocol {
    private final DeviceStage stage;
    private final MqttConnectHandler gate;
    private final MqttAdapter adapter;
    private final int maxPacketBytes;
    private final String transport;

    MqttProtocol(DeviceStage stage, MqttConnectHandler gate, MqttAdapter adapter, int maxPacketBytes,
                 String transport) {
        this.stage = stage;
        this.gate = gate;
        this.adapter = adapter;
        this.maxPacketBytes = maxPacketBytes;
        this.transport = transport;
    }

    @Override
    public void addCodec(ChannelPipeline pipeline, String before) {
        // the limit and the decoder keep per-connection parse state: new ones for each connection
        add(pipeline, before, HandlerNames.MQTT_LIMIT, new MqttPacketLimit(maxPacketBytes));
        add(pipeline, before, HandlerNames.MQTT_DECODER, new MqttDecoder(maxPacketBytes, ClientIds.MAX_LENGTH));
        add(pipeline, before, HandlerNames.MQTT_ENCODER, MqttEncoder.INSTANCE);
        add(pipeline, before, HandlerNames.MQTT_ADAPTER, adapter);
    }

    private static void add(ChannelPipeline pipeline, String before, String name, ChannelHandler handler) {
        if (before == null) {
            pipeline.addLast(name, handler);
        } else {
            pipeline.addBefore(before, name, handler);
        }
    }

    @Override
    public DeviceStage stage() {
        return stage;
    }

    @Override
    public ChannelHandler gate() {
        return gate;
    }

    /**
     * Turns a connection whose pipeline was built for Herald frames into an MQTT one (a WebSocket upgrade to the MQTT
     * path): the frame decoder gives way to the MQTT stages, the device stage and the gate to MQTT's.
     */
    public void switchTo(ChannelPipeline pipeline) {
        pipeline.remove(HandlerNames.FRAME_DECODER);
        addCodec(pipeline, HandlerNames.DEVICE);
        pipeline.replace(HandlerNames.DEVICE, HandlerNames.DEVICE, stage);
        pipeline.replace(HandlerNames.AUTH, HandlerNames.AUTH, gate);
        DeviceSession.of(pipeline.channel()).transport(transport);
    }
}
