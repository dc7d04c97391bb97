package io.herald.gateway.pipeline;

import io.herald.gateway.handler.AuthHandler;
import io.herald.gateway.handler.AuthTimeoutHandler;
import io.herald.gateway.handler.DecodeFailureHandler;
import io.herald.gateway.handler.ExceptionHandler;
import io.herald.gateway.handler.FrameMetricsHandler;
import io.herald.gateway.handler.UnexpectedFrameHandler;
import io.herald.gateway.handler.UpstreamMessageHandler;

/** The stateless (@Sharable) device handlers, built once per gateway and shared by every connection. */
public record SharedHandlers(FrameMetricsHandler frameMetrics, AuthTimeoutHandler authTimeout,
                             DecodeFailureHandler decodeFailure, AuthHandler auth, UpstreamMessageHandler upstream,
                             UnexpectedFrameHandler unexpectedFrame, ExceptionHandler exceptions) {
}
