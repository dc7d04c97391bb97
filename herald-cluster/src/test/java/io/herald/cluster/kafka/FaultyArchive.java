package io.herald.cluster.kafka;

import io.herald.core.message.UpstreamMessage;
import io.herald.core.store.UpstreamArchive;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real archive that fails at chosen calls <em>after</em> the batch was stored, the worst moment for the
 * archiver: once transiently (as if the connection broke before the commit was confirmed), and once fatally (as if
 * the process died between the insert and the offset commit).
 */
final class FaultyArchive implements UpstreamArchive {

    /** Stands for the archiver's process dying: an Error, which the archiver does not retry. */
    static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(int call) {
            super("simulated crash after the insert of batch " + call + ", before its offsets were committed");
        }
    }

    private final UpstreamArchive stored;
    private final int failingCall;
    private final int crashingCall;
    private final AtomicInteger calls = new AtomicInteger();

    FaultyArchive(UpstreamArchive stored, int failingCall, int crashingCall) {
        this.stored = stored;
        this.failingCall = failingCall;
        this.crashingCall = crashingCall;
    }

    @Override
    public int append(List<UpstreamMessage> messages) {
        int added = stored.append(messages);
        int call = calls.incrementAndGet();
        if (call == failingCall) {
            throw new IllegalStateException("simulated connection loss after the insert of batch " + call);
        }
        if (call == crashingCall) {
            throw new SimulatedCrash(call);
        }
        return added;
    }

    @Override
    public List<UpstreamMessage> latest(String clientId, long generation, int limit) {
        return stored.latest(clientId, generation, limit);
    }
}
