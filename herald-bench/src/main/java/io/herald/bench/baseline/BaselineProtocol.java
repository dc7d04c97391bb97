package io.herald.bench.baseline;

/**
 * The few conventions of the ideal baseline on top of the Herald wire format: a connection authenticating
 * with {@link #CONTROL_TOKEN} is the push source; any other token is taken as the device's id, unchecked.
 * A MESSAGE from the control connection carries its target in the trace id field.
 */
public final class BaselineProtocol {
    public static final String CONTROL_TOKEN = "bench-control";
    public static final String BROADCAST = "*";
    /** Herald stamps a trace id on every push; the baseline sends one of the same length (32 hex digits) so frames match in size. */
    public static final String TRACE_ID = "0123456789abcdef0123456789abcdef";

    private BaselineProtocol() {
    }
}
