package io.herald.bench.worker;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;

/**
 * How a worker's devices log in: through the Herald API the parent targets (its key passed along), or straight to
 * the ideal baseline's address (which has no login).
 */
public record WorkerLogin(URI api, String apiKey, InetSocketAddress baseline) {

    public static WorkerLogin herald(URI api, String apiKey) {
        return new WorkerLogin(api, apiKey, null);
    }

    public static WorkerLogin baseline(InetSocketAddress address) {
        return new WorkerLogin(null, null, address);
    }

    List<String> toArgs() {
        return baseline != null ? List.of("--baseline", baseline.getHostString() + ":" + baseline.getPort())
                : List.of("--api", api.toString(), "--api-key", apiKey);
    }
}
