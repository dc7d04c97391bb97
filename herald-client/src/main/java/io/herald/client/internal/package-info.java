/**
 * The machinery behind {@link io.herald.client.HeraldClient}: HTTP calls, the Netty pipeline, the
 * unacknowledged-message store, duplicate filtering and backoff. Public only so that the client package can
 * use it; not part of the SDK's API, and it may change in any release.
 */
package io.herald.client.internal;
