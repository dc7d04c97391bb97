package io.herald.protocol.frame;

import io.herald.protocol.FrameType;

/** One decoded protocol frame. Frames are immutable values. */
public sealed interface Frame
        permits AuthFrame, AuthOkFrame, AuthFailFrame, PingFrame, PongFrame, MessageFrame, AckFrame,
        ErrorFrame, NoticeFrame {

    FrameType type();
}
