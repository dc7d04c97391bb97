package io.herald.client;

/**
 * How reconnect and resend delays are randomised, so that a fleet that lost its gateway at the same instant
 * does not come back at the same instant (the formulas are those of the AWS Architecture Blog's
 * "Exponential Backoff And Jitter").
 */
public enum Jitter {
    /** Uniform in {@code [0, min(max, initial × multiplier^attempt)]}: the widest spread. */
    FULL,
    /**
     * Uniform in {@code [initial, min(max, 3 × previous delay)]}: each delay depends on the previous one rather
     * than on the attempt count, so delays stay spread out even after reaching the cap. The multiplier does
     * not apply; the factor 3 is the formula's own.
     */
    DECORRELATED
}
