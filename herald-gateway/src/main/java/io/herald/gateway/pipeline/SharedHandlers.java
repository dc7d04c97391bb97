package io.herald.gateway.pipeline;

import io.herald.gateway.handler.AuthTimeoutHandler;
import io.herald.gateway.handler.ConnectionLimitHandler;
import io.herald.gateway.handler.Disconnector;
import io.herald.gateway.handler.ExceptionHandler;
import io.herald.gateway.proxy.ProxyProtocol;

/**
 * The stateless (@Sharable) device handlers, built once per gateway and shared by every connection.
 * {@code disconnector} is for the per-channel handlers that close connections. {@code connectionLimit} is null when
 * that limit is off, {@code proxyProtocol} when no balancer is trusted: the pipeline leaves them out.
 */
public record SharedHandlers(AuthTimeoutHandler authTimeout, ExceptionHandler exceptions,
                             ConnectionLimitHandler connectionLimit, Disconnector disconnector,
                             ProxyProtocol proxyProtocol) {
}
