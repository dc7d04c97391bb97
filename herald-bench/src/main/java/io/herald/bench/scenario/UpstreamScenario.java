package io.herald.bench.scenario;

import io.herald.bench.fleet.DeviceFleet;
import io.herald.bench.load.InFlightLimit;
import io.herald.bench.load.Pacer;
import io.herald.bench.measure.LatencySummary;
import io.herald.bench.report.Figures;
import io.herald.bench.server.CpuMeter;
import io.herald.bench.report.Report;
import io.herald.bench.report.Run;
import io.herald.bench.sim.DeviceEvents;
import io.herald.bench.sim.DeviceSimulator;
import io.herald.bench.sim.SimulatedDevice;
import io.herald.protocol.AckStatus;
import io.herald.protocol.ContentType;
import io.herald.protocol.Qos;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.MessageFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench upstream}: devices send typed QoS 1 messages at a rate; the server ACKs once its handlers are done. */
@Command(name = "upstream", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"N connected devices send typed QoS 1 messages upstream at a total rate.",
                "Reports acked/s, ACK outcomes and send-to-ACK latency percentiles."})
final class UpstreamScenario extends Scenario implements DeviceEvents {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(45);

    @Option(names = "--devices", defaultValue = "1000", description = "Sending devices, used in turn (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--rate", defaultValue = "5000",
            description = "Messages per second over all devices; 0 = as fast as --max-in-flight allows (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", defaultValue = "10s", description = "Sending time (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--content-type", defaultValue = "json",
            description = "Content type of the messages: text or json (default: ${DEFAULT-VALUE}).")
    String contentType;

    @Option(names = "--max-in-flight", defaultValue = "1000",
            description = "Messages sent and not yet acked at most, over all devices (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--drain", defaultValue = "10s",
            description = "Longest wait for outstanding ACKs after sending stops (default: ${DEFAULT-VALUE}).")
    String drain;

    private final Map<Long, Long> sentNanos = new ConcurrentHashMap<>();
    private final Map<AckStatus, AtomicLong> outcomes = new EnumMap<>(AckStatus.class);
    private final Recorder latency = new Recorder(3);
    private final AtomicLong acked = new AtomicLong();
    private volatile long lastAckNanos;
    private InFlightLimit inFlight;

    @Override
    void run(Report report, DeviceSimulator simulator) {
        ContentType type = ContentType.ofLabel(contentType);
        if (type != ContentType.TEXT && type != ContentType.JSON) {
            throw new IllegalArgumentException("--content-type must be text or json, was " + contentType);
        }
        for (AckStatus status : AckStatus.values()) {
            outcomes.put(status, new AtomicLong());
        }
        inFlight = new InFlightLimit(maxInFlight);
        List<String> ids = DeviceFleet.clientIds("up-", devices);
        try (HeraldTarget herald = HeraldTarget.open(common, workDir, spec.name(), report);
             DeviceFleet fleet = fleet(herald, simulator, ids, 0)) {
            fleet.connectAll(bounded(CONNECT_TIMEOUT));
            fleet.listener(this);
            herald.measuring();
            CpuMeter serverCpu = CpuMeter.start(herald.pid());
            CpuMeter benchCpu = CpuMeter.startForThisProcess();
            long start = System.nanoTime();
            long end = start + bounded(Durations.parse(duration));
            Pacer pacer = new Pacer(rate, start, end);
            AtomicLong messageIds = new AtomicLong();
            long sent = 0;
            while (pacer.awaitNext() && inFlight.acquire(end)) {
                SimulatedDevice device = fleet.devices().get((int) (sent % devices));
                long id = messageIds.incrementAndGet();
                byte[] payload = payload(type, id);
                sentNanos.put(id, System.nanoTime());
                if (!device.send(new MessageFrame(id, type, Qos.AT_LEAST_ONCE, false, null, System.currentTimeMillis(),
                        payload))) {
                    sentNanos.remove(id);
                    inFlight.release();
                    continue;
                }
                sent++;
            }
            long sendingNanos = System.nanoTime() - start;
            long drainEnd = System.nanoTime() + bounded(Durations.parse(drain));
            while (!sentNanos.isEmpty() && System.nanoTime() < drainEnd) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            long busy = Math.max(1, Math.max(lastAckNanos, start + sendingNanos) - start);
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("devices", devices);
            figures.put("contentType", type.label());
            figures.put("offeredPerSecond", rate == 0 ? "max" : rate);
            figures.put("sentPerSecond", Figures.round(sent * 1e9 / Math.max(1, sendingNanos)));
            figures.put("sent", sent);
            figures.put("acked", acked.get());
            figures.put("ackedOk", outcomes.get(AckStatus.OK).get());
            figures.put("ackedRejected", outcomes.get(AckStatus.REJECTED).get());
            figures.put("ackedRetry", outcomes.get(AckStatus.RETRY).get());
            figures.put("unacked", sentNanos.size());
            figures.put("ackedPerSecond", Figures.round(acked.get() * 1e9 / busy));
            figures.put("latencyMs", LatencySummary.of(latency.getIntervalHistogram()).toMap());
            figures.put("serverCpuMicrosPerMessage", serverCpu.microsPer(acked.get()));
            figures.put("benchCpuMicrosPerMessage", benchCpu.microsPer(acked.get()));
            report.add(new Run("upstream " + type.label() + (rate == 0 ? " max rate" : " at " + (long) rate + "/s"),
                    figures, null, List.of("ackedPerSecond")));
            report.note("latency = from writing the MESSAGE to receiving its ACK on the same connection");
            fleet.disconnectAll(TimeUnit.SECONDS.toNanos(10));
        }
    }

    private static byte[] payload(ContentType type, long id) {
        String text = type == ContentType.JSON ? "{\"sensor\":\"t1\",\"seq\":" + id + ",\"value\":21.5}"
                : "reading " + id + " t1=21.5";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void ack(SimulatedDevice device, AckFrame ack, long receivedNanos) {
        Long sent = sentNanos.remove(ack.messageId());
        if (sent == null) {
            return;
        }
        acked.incrementAndGet();
        lastAckNanos = receivedNanos;
        outcomes.get(ack.status()).incrementAndGet();
        latency.recordValue(Math.max(1, (receivedNanos - sent) / 1_000));
        inFlight.release(); // last, as InFlightLimit asks
    }
}
