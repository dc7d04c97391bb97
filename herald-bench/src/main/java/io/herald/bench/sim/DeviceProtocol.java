package io.herald.bench.sim;

import io.herald.protocol.Wire;
import io.herald.protocol.codec.FrameDecoder;
import io.herald.protocol.codec.FrameEncoder;
import io.netty.channel.ChannelPipeline;
import java.util.concurrent.CompletableFuture;

/**
 * What a simulated device speaks once {@link DeviceLink}'s stages are in place: Herald's own frames (Herald and the
 * ideal baseline), or MQTT 5 (Herald's MQTT listener and an MQTT broker, the same packets to both).
 */
public interface DeviceProtocol {

    /** Herald's binary protocol: frame codec and {@link DeviceHandler}. */
    DeviceProtocol HERALD = new DeviceProtocol() {
        @Override
        public void addHandlers(ChannelPipeline pipeline, SimulatedDevice device, String token, DeviceEvents events,
                                CompletableFuture<Void> online, boolean afterUpgrade) {
            pipeline.addLast(new FrameDecoder(Wire.DEFAULT_MAX_BODY_LENGTH), FrameEncoder.INSTANCE,
                    new DeviceHandler(device, token, events, online, afterUpgrade));
        }

        @Override
        public String describe() {
            return "Herald frames";
        }
    };

    /** MQTT 5: Netty's MQTT codec and {@link MqttDeviceHandler}. */
    DeviceProtocol MQTT = new DeviceProtocol() {
        @Override
        public void addHandlers(ChannelPipeline pipeline, SimulatedDevice device, String password, DeviceEvents events,
                                CompletableFuture<Void> online, boolean afterUpgrade) {
            if (afterUpgrade) {
                throw new IllegalArgumentException("the MQTT devices connect over plain TCP only");
            }
            MqttDeviceHandler.addTo(pipeline, device, password, events, online);
        }

        @Override
        public String describe() {
            return "MQTT 5";
        }
    };

    /**
     * Adds the codec and the device handler; {@code online} completes when the device can receive (AUTH_OK; MQTT:
     * its SUBACK) and fails when it is refused or the connection closes first.
     *
     * @param token        what the device authenticates with (Herald: its login token; MQTT: its password)
     * @param afterUpgrade the carrier is WebSocket: speak once the upgrade is done
     */
    void addHandlers(ChannelPipeline pipeline, SimulatedDevice device, String token, DeviceEvents events,
                     CompletableFuture<Void> online, boolean afterUpgrade);

    String describe();
}
