package io.herald.gateway.pipeline;

import io.herald.gateway.handler.DeviceStage;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;

/**
 * What a device connection speaks, Herald's binary frames or MQTT: the stages that differ between the two. Everything
 * else (transport, TLS, connection limit, auth timer, sessions, delivery, upstream) is the same pipeline for both; the
 * protocol's codec turns its packets into Herald frames and back, so the stages behind it never tell them apart.
 */
public interface DeviceProtocol {

    /** Adds the decoding and encoding stages in front of the device stage: before {@code before}, or last if null. */
    void addCodec(ChannelPipeline pipeline, String before);

    /** The device stage (session life, frames in by type, frames out) for this protocol and transport. */
    DeviceStage stage();

    /** The authentication gate: AUTH for Herald frames, CONNECT for MQTT. */
    ChannelHandler gate();
}
