package io.herald.gateway;

import io.herald.protocol.ErrorCode;
import io.herald.protocol.codec.DecodeFailure;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.AuthFrame;
import io.herald.protocol.frame.ErrorFrame;
import io.herald.protocol.frame.MessageFrame;
import io.herald.protocol.frame.PingFrame;
import java.util.List;

/**
 * The session rules of {@code docs/protocol.md} section 6 as a model of what a device may send, to judge what the
 * gateway did with a stream: AUTH with a valid token first, then only PING, MESSAGE and ACK; ERROR, at any time, ends the session. A connection may stay
 * open only while every decoded item kept to the rules; the first item that did not decides the ERROR code where
 * that does not depend on timing.
 *
 * @param acceptable   the device kept to the rules, so far as the stream went: the gateway may keep it connected
 * @param expectedCode the ERROR code the gateway must close with, or null when it depends on how the stream was
 *                     split into reads (frames that arrive with AUTH, in the same read, are refused while the token
 *                     is checked) or when the stream is acceptable
 * @param mayEndQuietly the device sent ERROR, which the gateway answers by closing without a last frame of its own
 *                      (unless the ERROR came while the token was checked: then it is refused like any other frame)
 */
record DeviceSessionModel(boolean acceptable, ErrorCode expectedCode, boolean mayEndQuietly) {

    /**
     * @param decoded       what a fresh frame decoder emits for the whole stream
     * @param authenticated whether the connection was authenticated before the stream
     * @param validToken    the one token the gateway accepts
     */
    static DeviceSessionModel judge(List<Object> decoded, boolean authenticated, String validToken) {
        boolean authed = authenticated;
        boolean timingMatters = false;
        for (Object item : decoded) {
            if (item instanceof DecodeFailure failure) {
                return refused(timingMatters ? null : failure.code());
            }
            if (item instanceof ErrorFrame) {
                return new DeviceSessionModel(false, null, true);
            }
            if (!authed) {
                if (!(item instanceof AuthFrame auth)) {
                    return refused(ErrorCode.AUTH_REQUIRED);
                }
                if (!auth.token().equals(validToken)) {
                    return refused(null); // AUTH_FAIL, or AUTH_REQUIRED for a frame in the same read
                }
                authed = true;
                timingMatters = true;
            } else if (item instanceof AuthFrame) {
                return refused(timingMatters ? null : ErrorCode.ALREADY_AUTHENTICATED);
            } else if (!(item instanceof PingFrame || item instanceof MessageFrame || item instanceof AckFrame)) {
                return refused(timingMatters ? null : ErrorCode.UNEXPECTED_FRAME);
            }
        }
        return new DeviceSessionModel(true, null, false);
    }

    private static DeviceSessionModel refused(ErrorCode code) {
        return new DeviceSessionModel(false, code, false);
    }
}
