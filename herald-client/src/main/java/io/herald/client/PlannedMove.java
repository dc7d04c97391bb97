package io.herald.client;

import io.herald.client.internal.ClientLogger;
import io.herald.client.internal.GatewayEndpoint;
import io.herald.protocol.frame.NoticeFrame;

/**
 * A move the gateway asked for with a RECONNECT or REDIRECT notice, made once the connection it came on closes.
 *
 * @param relogin     log in again first (a REDIRECT whose target cannot be used)
 * @param target      the gateway to connect to next, or null for the same one
 * @param closeCause  what the connection is closed with
 */
record PlannedMove(long delayMillis, boolean relogin, GatewayEndpoint target, ConnectionLostException closeCause) {

    /**
     * RECONNECT: its token may still be good, so go with it to {@code next}, another gateway of the same login (a
     * drained cluster gateway), or, without one, come back to this gateway (a restarted standalone node takes it);
     * the API is asked at once if that one cannot be reached either.
     */
    static PlannedMove reconnect(NoticeFrame notice, GatewayEndpoint from, GatewayEndpoint next, ClientLogger log) {
        log.info("gateway asks to reconnect in {} ms ({}); then to {}, with a new login if it cannot be reached",
                notice.delayMillis(), notice.reason(), next == null ? "the same gateway" : next.describe());
        return new PlannedMove(notice.delayMillis(), false, next, new ConnectionLostException("gateway "
                + from.describe() + " asked the client to reconnect" + reasonSuffix(notice.reason())));
    }

    /** REDIRECT: to the gateway it names, or through a new login when that target cannot be used. */
    static PlannedMove redirect(NoticeFrame notice, GatewayEndpoint from, ClientLogger log) {
        GatewayEndpoint target = null;
        try {
            target = from.redirectedTo(notice.redirect());
            log.info("gateway redirects to {} in {} ms ({})", target.describe(), notice.delayMillis(),
                    notice.reason());
        } catch (IllegalArgumentException e) {
            log.warn("ignoring unusable REDIRECT target '{}'; logging in again instead", notice.redirect());
        }
        return new PlannedMove(notice.delayMillis(), target == null, target, new ConnectionLostException("gateway "
                + from.describe() + " redirected the client to " + notice.redirect()
                + reasonSuffix(notice.reason())));
    }

    /** " (reason)", or nothing when the gateway gave none. */
    static String reasonSuffix(String reason) {
        return reason == null || reason.isEmpty() ? "" : " (" + reason + ")";
    }
}
