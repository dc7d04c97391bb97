package io.herald.bench.fleet;

import io.herald.bench.measure.BenchClock;
import io.herald.bench.sim.DeviceEvents;
import io.herald.bench.sim.SimulatedDevice;
import io.herald.protocol.frame.AckFrame;
import io.herald.protocol.frame.MessageFrame;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link DeviceFleet} in this process with what its devices observe counted: the whole fleet of a one-process
 * run, or one worker's slice of a larger one (the worker answers its parent with these same results). Routes the
 * devices' events to the ledger of the running measurement: one broadcast round, one tagged point-to-point run,
 * one upstream run.
 */
public final class FleetSlice implements SimulatedFleet, DeviceEvents {
    private final DeviceFleet fleet;
    private final AtomicLong firstBackMicros = new AtomicLong();
    /** The last upstream message id sent by this slice's devices, so that a later run never repeats one. */
    private long lastUpstreamId = UpstreamSender.idsOfThisProcessStartAfter();
    private volatile boolean watchingBack;
    private volatile long lastOnlineMicros;
    private volatile RoundLedger round;
    private volatile ReceiptLedger receipts;
    private volatile UpstreamSender upstream;

    public FleetSlice(DeviceFleet fleet) {
        this.fleet = fleet;
        fleet.listener(this);
    }

    /** The devices themselves, for what only an in-process fleet can do (a TLS reconnect round). */
    public DeviceFleet fleet() {
        return fleet;
    }

    @Override
    public DeviceFleet.ConnectResult connectAll(long timeoutNanos) {
        return fleet.connectAll(timeoutNanos);
    }

    @Override
    public int holdFor(long nanos) {
        return fleet.holdFor(nanos);
    }

    @Override
    public void disconnectAll(long timeoutNanos) {
        fleet.disconnectAll(timeoutNanos);
    }

    @Override
    public List<Long> pids() {
        return List.of(ProcessHandle.current().pid());
    }

    @Override
    public List<String> clientIds() {
        return fleet.devices().stream().map(SimulatedDevice::clientId).toList();
    }

    @Override
    public int online() {
        return fleet.online();
    }

    @Override
    public int beginRound(int tag) {
        RoundLedger ledger = new RoundLedger(tag, fleet.online(), fleet.devices().size());
        round = ledger;
        return ledger.expected();
    }

    @Override
    public RoundReceipts awaitRound(int tag, long timeoutNanos) {
        return roundOf(tag).await(System.nanoTime() + timeoutNanos);
    }

    @Override
    public void beginReceipts(int tag) {
        receipts = new ReceiptLedger(tag);
    }

    @Override
    public Receipts receipts(int tag, boolean histograms) {
        return receiptsOf(tag).summary(histograms);
    }

    @Override
    public long[] receivedIds(int tag) {
        return receiptsOf(tag).ids();
    }

    @Override
    public UpstreamResult sendUpstream(UpstreamPlan plan) {
        UpstreamSender sender = new UpstreamSender(plan, lastUpstreamId);
        upstream = sender;
        try {
            return sender.run(fleet.devices(), fleet.hardDeadlineNanos());
        } finally {
            lastUpstreamId = sender.lastId();
            upstream = null;
        }
    }

    @Override
    public void reconnectOnDrop(ReconnectMode mode) {
        fleet.reconnectOnDrop(mode);
    }

    @Override
    public void markBack() {
        firstBackMicros.set(0);
        watchingBack = true;
    }

    @Override
    public FleetStatus status() {
        return new FleetStatus(fleet.online(), fleet.logins(), lastOnlineMicros, firstBackMicros.get(),
                fleet.reconnectLatencyMicros());
    }

    @Override
    public void close() {
        fleet.close();
    }

    @Override
    public void authenticated(SimulatedDevice device) {
        long now = BenchClock.epochMicros();
        lastOnlineMicros = now;
        if (watchingBack) {
            firstBackMicros.compareAndSet(0, now);
        }
    }

    @Override
    public void message(SimulatedDevice device, MessageFrame message, long receivedMicros) {
        RoundLedger currentRound = round;
        if (currentRound != null) {
            currentRound.record(device.index(), message, receivedMicros);
        }
        ReceiptLedger currentReceipts = receipts;
        if (currentReceipts != null) {
            currentReceipts.record(message, receivedMicros);
        }
    }

    @Override
    public void ack(SimulatedDevice device, AckFrame ack, long receivedNanos) {
        UpstreamSender sender = upstream;
        if (sender != null) {
            sender.ack(ack, receivedNanos);
        }
    }

    /** The ledger of round {@code tag}: asking about another is the caller's bug, not an empty answer. */
    private RoundLedger roundOf(int tag) {
        RoundLedger ledger = round;
        if (ledger == null || ledger.tag() != tag) {
            throw new IllegalStateException("broadcast round " + tag + " is not being counted");
        }
        return ledger;
    }

    private ReceiptLedger receiptsOf(int tag) {
        ReceiptLedger ledger = receipts;
        if (ledger == null || ledger.tag() != tag) {
            throw new IllegalStateException("messages tagged " + tag + " are not being counted");
        }
        return ledger;
    }
}
