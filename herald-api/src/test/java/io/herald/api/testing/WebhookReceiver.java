package io.herald.api.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A real HTTP server on a free loopback port that takes webhook requests, as a business backend would: it keeps
 * each request's signature header and body, and answers with the statuses a test scripts (then 200).
 */
public final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    public record Request(String signature, byte[] body) {
        /** The body's events. */
        public List<JsonNode> events() {
            try {
                List<JsonNode> events = new ArrayList<>();
                JSON.readTree(body).forEach(events::add);
                return events;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final Queue<Integer> scripted = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Server server;

    private WebhookReceiver(int port) {
        server = Server.builder().http(port).service("/hooks/herald", (ctx, req) -> HttpResponse.of(
                req.aggregate().thenApply(request -> {
                    Integer status = scripted.poll();
                    int answer = status == null ? 200 : status;
                    // Recorded whatever the answer: a test sees the retries too.
                    requests.add(new Request(request.headers().get("Herald-Signature"), request.content().array()));
                    return HttpResponse.of(HttpStatus.valueOf(answer));
                }))).build();
        server.start().join();
    }

    public static WebhookReceiver start() {
        return new WebhookReceiver(0);
    }

    /** On a given port (a test that starts the receiver only after the node sent to it). */
    public static WebhookReceiver startOn(int port) {
        return new WebhookReceiver(port);
    }

    public int port() {
        return server.activeLocalPort();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port() + "/hooks/herald");
    }

    /** The next requests are answered with these statuses, in order; later ones with 200. */
    public void answerNext(int... statuses) {
        for (int status : statuses) {
            scripted.add(status);
        }
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The events of every request answered 2xx or not, in arrival order. */
    public List<JsonNode> events() {
        List<JsonNode> events = new ArrayList<>();
        requests.forEach(request -> events.addAll(request.events()));
        return events;
    }

    /** Waits until an event matches, and returns it. */
    public JsonNode awaitEvent(Predicate<JsonNode> matching, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (JsonNode event : events()) {
                if (matching.test(event)) {
                    return event;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no matching event within " + timeout + "; received " + events());
    }

    /** A matcher for an event of {@code type} about {@code clientId}. */
    public static Predicate<JsonNode> event(String type, String clientId) {
        return event -> type.equals(event.path("type").asText()) && clientId.equals(event.path("clientId").asText());
    }

    @Override
    public void close() {
        server.stop().join();
    }
}
