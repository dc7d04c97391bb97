package io.herald.bench.scenario;

import picocli.CommandLine.Command;

/** {@code bench baseline-p2p}: only the ideal baseline half of {@code p2p}. */
@Command(name = "baseline-p2p", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The network part of 'p2p' on a bare Netty server that relays frames (no auth, registry or store).")
final class BaselineP2pScenario extends P2pScenario {
    @Override
    boolean measuresHerald() {
        return false;
    }
}
