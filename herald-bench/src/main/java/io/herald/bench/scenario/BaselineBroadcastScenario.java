package io.herald.bench.scenario;

import picocli.CommandLine.Command;

/** {@code bench baseline-broadcast}: only the ideal baseline half of {@code broadcast}. */
@Command(name = "baseline-broadcast", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The network part of 'broadcast' on a bare Netty server (no auth, registry or store).")
final class BaselineBroadcastScenario extends BroadcastScenario {
    @Override
    boolean measuresHerald() {
        return false;
    }
}
