package io.herald.protocol.testing;

import io.herald.protocol.AckStatus;
import io.herald.protocol.ContentType;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.NoticeKind;
import io.herald.protocol.Qos;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.AuthFailFrame;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.AuthOkFrame;
import io.herald.protocol.frame.ErrorFrame;
import io.herald.protocol.frame.Frame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.frame.NoticeFrame;
import io.herald.protocol.frame.PingFrame;
import io.herald.protocol.frame.PongFrame;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The frames of the worked examples in {@code docs/protocol.md}, by the name each example carries there. Their
 * exact bytes are written out by hand in {@code FrameBytesTest}, and {@code ProtocolDocExamplesTest} checks that
 * the page shows those bytes for these frames.
 */
public final class WireExamples {
    public static final AuthFrame AUTH = new AuthFrame("secret");
    public static final AuthOkFrame AUTH_OK = new AuthOkFrame(30_000, "dev-42", "s-7f3a");
    public static final AuthFailFrame AUTH_FAIL = new AuthFailFrame(ErrorCode.INVALID_TOKEN, "token expired");
    public static final PingFrame PING = PingFrame.INSTANCE;
    public static final PongFrame PONG = PongFrame.INSTANCE;
    /** Downstream, fire-and-forget text. */
    public static final MessageFrame MESSAGE_QOS0 = new MessageFrame(1, ContentType.TEXT, Qos.AT_MOST_ONCE, false,
            null, 1_700_000_000_000L, utf8("hi"));
    /** Upstream, a device's JSON reading that must be acknowledged. */
    public static final MessageFrame MESSAGE_QOS1 = new MessageFrame(7, ContentType.JSON, Qos.AT_LEAST_ONCE,
            false, null, 1_700_000_000_000L, utf8("{\"t\":21.5}"));
    /** Downstream redelivery of an acknowledged-delivery message that carries a trace id. */
    public static final MessageFrame MESSAGE_QOS1_DUPLICATE_TRACE = new MessageFrame(0x0123_4567_89AB_CDEFL,
            ContentType.JSON, Qos.AT_LEAST_ONCE, true, "req-7", 1_700_000_000_123L, utf8("{\"on\":true}"));
    public static final AckFrame ACK_OK = AckFrame.ok(7);
    /** A reason with a two-byte UTF-8 character: lengths count bytes, not characters. */
    public static final AckFrame ACK_REJECTED = new AckFrame(8, AckStatus.REJECTED, "ungültig");
    public static final ErrorFrame ERROR = new ErrorFrame(ErrorCode.AUTH_TIMEOUT, "auth timeout");
    /** The gateway's last frame to a device silent for twice the heartbeat interval. */
    public static final ErrorFrame ERROR_IDLE_TIMEOUT = new ErrorFrame(ErrorCode.IDLE_TIMEOUT, "idle");
    public static final NoticeFrame NOTICE_KICKED = NoticeFrame.kicked("replaced");
    public static final NoticeFrame NOTICE_REDIRECT = new NoticeFrame(NoticeKind.REDIRECT, 2_000, "rebalance",
            "gw2.example.com:7000");

    /** Every example by its name in the documentation, in the order the page shows them. */
    public static final Map<String, Frame> BY_NAME;

    static {
        Map<String, Frame> byName = new LinkedHashMap<>();
        byName.put("auth", AUTH);
        byName.put("auth-ok", AUTH_OK);
        byName.put("auth-fail", AUTH_FAIL);
        byName.put("ping", PING);
        byName.put("pong", PONG);
        byName.put("message-qos0", MESSAGE_QOS0);
        byName.put("message-qos1", MESSAGE_QOS1);
        byName.put("message-qos1-duplicate-trace", MESSAGE_QOS1_DUPLICATE_TRACE);
        byName.put("ack-ok", ACK_OK);
        byName.put("ack-rejected", ACK_REJECTED);
        byName.put("error", ERROR);
        byName.put("error-idle-timeout", ERROR_IDLE_TIMEOUT);
        byName.put("notice-kicked", NOTICE_KICKED);
        byName.put("notice-redirect", NOTICE_REDIRECT);
        BY_NAME = Collections.unmodifiableMap(byName);
    }

    private WireExamples() {
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
