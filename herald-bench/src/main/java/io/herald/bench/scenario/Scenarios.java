package io.herald.bench.scenario;

import picocli.CommandLine;

/** Registers the scenario commands (package-private classes) on the bench command line. */
public final class Scenarios {
    private Scenarios() {
    }

    public static void register(CommandLine cli) {
        cli.addSubcommand(new ConnectScenario());
        cli.addSubcommand(new HoldScenario());
        cli.addSubcommand(new BroadcastScenario());
        cli.addSubcommand(new TagScenario());
        cli.addSubcommand(new P2pScenario());
        cli.addSubcommand(new UpstreamScenario());
        cli.addSubcommand(new ReconnectStormScenario());
        cli.addSubcommand(new ScaleScenario());
        cli.addSubcommand(new BaselineBroadcastScenario());
        cli.addSubcommand(new BaselineP2pScenario());
        cli.addSubcommand(new MqttConnectScenario());
        cli.addSubcommand(new MqttHoldScenario());
        cli.addSubcommand(new MqttP2pScenario());
        cli.addSubcommand(new MqttFanOutScenario());
        cli.addSubcommand(new ChartCommand());
        cli.addSubcommand(new JmhCommand());
    }
}
