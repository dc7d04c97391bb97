package io.herald.gateway.pipeline;

import io.herald.gateway.handler.AuthHandler;
import io.herald.gateway.handler.AuthTimeoutHandler;
import io.herald.gateway.handler.ConnectionLimitHandler;
import io.herald.gateway.handler.DecodeFailureHandler;
import io.herald.gateway.handler.DeviceErrorHandler;
import io.herald.gateway.handler.Disconnector;
import io.herald.gateway.handler.ExceptionHandler;
import io.herald.gateway.handler.FrameMetricsHandler;
import io.herald.gateway.handler.UnexpectedFrameHandler;
import io.herald.gateway.handler.UpstreamMessageHandler;
import io.herald.gateway.handler.UpstreamRateHandler;

/**
 * The stateless (@Sharable) device handlers, built once per gateway and shared by every connection.
 * {@code disconnector} is for the per-channel handlers that close connections. {@code connectionLimit} and
 * {@code upstreamRate} are null when that limit is off: the pipeline leaves them out.
 */
public record SharedHandlers(FrameMetricsHandler frameMetrics, AuthTimeoutHandler authTimeout,
                             DecodeFailureHandler decodeFailure, AuthHandler auth, UpstreamMessageHandler upstream,
                             UnexpectedFrameHandler unexpectedFrame, ExceptionHandler exceptions,
                             ConnectionLimitHandler connectionLimit, UpstreamRateHandler upstreamRate,
                             DeviceErrorHandler deviceError, Disconnector disconnector) {
}
