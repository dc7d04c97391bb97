package io.herald.bench.report;

/** A target of the issue, the value measured against it, and whether it was met (benchmarks, not tests). */
public record TargetCheck(String target, String measured, boolean met) {
}
