package io.herald.protocol.testing;

import io.herald.protocol.AckStatus;
import io.herald.protocol.ContentType;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.FrameType;
import io.herald.protocol.NoticeKind;
import io.herald.protocol.Qos;
import io.herald.protocol.Wire;
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
import java.util.Random;

/** Valid frames of every type with random field values, from a seeded {@link Random}. */
public final class RandomFrames {
    /** Code points from each UTF-8 length class: 1, 2, 3 and 4 bytes. */
    private static final int[][] CODE_POINT_RANGES = {
            {0x00, 0x7F}, {0x80, 0x7FF}, {0x800, 0xD7FF}, {0xE000, 0xFFFD}, {0x10000, 0x10FFFF}};

    private final Random random;
    private final int maxPayload;

    public RandomFrames(Random random, int maxPayload) {
        this.random = random;
        this.maxPayload = maxPayload;
    }

    public Frame next() {
        FrameType[] types = FrameType.values();
        return next(types[random.nextInt(types.length)]);
    }

    public Frame next(FrameType type) {
        return switch (type) {
            case AUTH -> new AuthFrame(string());
            case AUTH_OK -> new AuthOkFrame(u32(), string(), string());
            case AUTH_FAIL -> new AuthFailFrame(pick(ErrorCode.values()), string());
            case PING -> PingFrame.INSTANCE;
            case PONG -> PongFrame.INSTANCE;
            case MESSAGE -> message();
            case ACK -> new AckFrame(anyLong(), pick(AckStatus.values()), string());
            case ERROR -> new ErrorFrame(pick(ErrorCode.values()), string());
            case NOTICE -> new NoticeFrame(pick(NoticeKind.values()), u32(), string(), string());
        };
    }

    public MessageFrame message() {
        byte[] payload = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(maxPayload + 1)];
        random.nextBytes(payload);
        return new MessageFrame(anyLong(), pick(ContentType.values()), pick(Qos.values()), random.nextBoolean(),
                random.nextBoolean() ? traceId() : null, anyLong(), payload);
    }

    /** A valid trace id: 1 to 64 characters from '!' to '~'. */
    public String traceId() {
        int length = 1 + random.nextInt(Wire.MAX_TRACE_ID_LENGTH);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) ('!' + random.nextInt('~' - '!' + 1)));
        }
        return sb.toString();
    }

    /** Usually short, sometimes empty, with characters of every UTF-8 length. */
    public String string() {
        int length = switch (random.nextInt(8)) {
            case 0 -> 0;
            case 1 -> random.nextInt(300);
            default -> random.nextInt(24);
        };
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int[] range = CODE_POINT_RANGES[random.nextInt(CODE_POINT_RANGES.length)];
            sb.appendCodePoint(range[0] + random.nextInt(range[1] - range[0] + 1));
        }
        return sb.toString();
    }

    /** Longs biased towards the edges: 0, ±1, min, max, and random. */
    public long anyLong() {
        return switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1 -> Long.MIN_VALUE;
            case 2 -> Long.MAX_VALUE;
            case 3 -> random.nextBoolean() ? -1 : 1;
            default -> random.nextLong();
        };
    }

    public long u32() {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> 0xFFFF_FFFFL;
            default -> random.nextLong() & 0xFFFF_FFFFL;
        };
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }
}
