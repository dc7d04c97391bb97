package io.herald.server.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.client.ClientResources;
import io.herald.client.ConnectionInfo;
import io.herald.client.HeraldClient;
import io.herald.client.HeraldClientOptions;
import io.herald.client.HeraldListener;
import io.herald.client.KickedException;
import io.herald.client.ReceivedMessage;
import io.herald.client.SendResult;
import io.herald.client.Transport;
import io.herald.server.cli.Setting;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code herald client}: one device on the command line, built on the Java SDK. Every received message is one
 * JSON line on stdout (and nothing else is: status lines and logs go to stderr), every stdin line is sent
 * upstream as a QoS 1 TEXT message. Scriptable: {@code herald client ... < commands.txt | jq .payload}.
 */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = {
            "Runs one device: logs in, connects to the gateway and stays connected (heartbeats, reconnects).",
            "Prints each received message as one JSON line on stdout; status lines (JSON) and logs go to stderr.",
            "Sends each line read from stdin as a TEXT message (QoS 1). At the end of stdin it waits up to 10 s"
                    + " for outstanding acknowledgements, then exits."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stdin ended",
            "1:registration, login or authentication failed",
            "2:invalid options",
            "3:kicked by the server (another login of this client id, or an operator)"})
public final class ClientCommand implements Callable<Integer> {
    static final int EXIT_START_FAILED = 1;
    static final int EXIT_KICKED = 3;
    /** How long end of input waits for the ACKs of messages still in flight. */
    static final Duration ACK_WAIT = Duration.ofSeconds(10);
    /** Stdin lines read ahead of their ACKs; reading pauses beyond this rather than failing sends. */
    private static final int MAX_IN_FLIGHT = 1_000;

    private static final Logger log = LoggerFactory.getLogger(ClientCommand.class);

    @Spec
    private CommandSpec spec;

    @Option(names = "--api", defaultValue = "http://127.0.0.1:8080", paramLabel = "URL",
            description = "Base URL of the Herald HTTP API (default: ${DEFAULT-VALUE}).")
    private String apiUrl;

    @Option(names = "--client-id", required = true, paramLabel = "ID",
            description = "Client id of this device: letters, digits and . _ - : @ (required, no default).")
    private String clientId;

    @Option(names = "--secret", required = true, paramLabel = "SECRET",
            description = "The device's secret (required, no default).")
    private String secret;

    @Option(names = "--register", defaultValue = "false",
            description = "Register the device before logging in; fine if it already exists with this secret"
                    + " (default: ${DEFAULT-VALUE}).")
    private boolean register;

    @Option(names = "--transport", defaultValue = "tcp", paramLabel = "tcp|websocket",
            converter = TransportConverter.class,
            description = "How to reach the gateway assigned at login: tcp or websocket (default: ${DEFAULT-VALUE}).")
    private Transport transport;

    @Option(names = "--tls-trust", paramLabel = "FILE",
            description = "PEM certificate(s) to trust for the HTTPS API and the gateway's TLS: a private CA, or the"
                    + " file a --tls-self-signed server printed (default: the JVM's trusted CAs).")
    private Path tlsTrust;

    private final InputStream stdin;

    public ClientCommand() {
        this(System.in);
    }

    /** Reads upstream lines from {@code stdin} instead of the process's standard input (embedding, tests). */
    public ClientCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() throws InterruptedException {
        HeraldClientOptions options;
        try {
            options = HeraldClientOptions.builder().apiUrl(apiUrl).clientId(clientId).secret(secret)
                    .registerIfMissing(register).transport(transport).build();
            if (tlsTrust != null) {
                HeraldClientOptions plain = options;
                options = Setting.of("--tls-trust", () -> plain.toBuilder().tlsTrust(tlsTrust).build());
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ObjectMapper json = new ObjectMapper();
        CompletableFuture<String> kicked = new CompletableFuture<>();
        HeraldListener listener = new PrintingListener(out, err, json, kicked);
        try (ClientResources resources = ClientResources.builder().ioThreads(1).objectMapper(json).build();
             HeraldClient client = HeraldClient.create(resources, options, listener)) {
            try {
                client.start().get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                err.println("herald client: cannot start " + clientId + ": " + cause.getMessage());
                err.flush();
                return cause instanceof KickedException ? EXIT_KICKED : EXIT_START_FAILED;
            }
            return sendStdinLines(client, kicked);
        }
    }

    /** Sends stdin line by line until it ends (then waits for ACKs) or the server kicks the client. */
    private int sendStdinLines(HeraldClient client, CompletableFuture<String> kicked) throws InterruptedException {
        Set<CompletableFuture<SendResult>> outstanding = ConcurrentHashMap.newKeySet();
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        CompletableFuture<Void> inputEnded = new CompletableFuture<>();
        // Reading blocks; on its own daemon thread it cannot keep the command alive after a kick.
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null && !kicked.isDone()) {
                    inFlight.acquire();
                    send(client, line, outstanding, inFlight);
                }
                inputEnded.complete(null);
            } catch (IOException | InterruptedException e) {
                inputEnded.completeExceptionally(e);
            }
        }, "herald-client-stdin");
        reader.setDaemon(true);
        reader.start();

        try {
            CompletableFuture.anyOf(inputEnded, kicked).get();
        } catch (ExecutionException e) {
            log.warn("[{}] reading stdin failed: {}", clientId, e.getCause().toString());
        }
        if (kicked.isDone()) {
            return EXIT_KICKED;
        }
        awaitAcks(outstanding);
        return 0;
    }

    private void send(HeraldClient client, String line, Set<CompletableFuture<SendResult>> outstanding,
                      Semaphore inFlight) {
        CompletableFuture<SendResult> sent;
        try {
            sent = client.sendText(line);
        } catch (IllegalArgumentException e) {
            inFlight.release();
            log.error("[{}] line not sent: {}", clientId, e.getMessage());
            return;
        }
        outstanding.add(sent);
        sent.whenComplete((result, failure) -> {
            outstanding.remove(sent);
            inFlight.release();
            if (failure == null) {
                log.debug("[{}] message {} acknowledged", clientId, Long.toUnsignedString(result.messageId()));
            } else {
                log.warn("[{}] message not delivered: {}", clientId, failure.getMessage());
            }
        });
    }

    private void awaitAcks(Set<CompletableFuture<SendResult>> outstanding) throws InterruptedException {
        if (outstanding.isEmpty()) {
            return;
        }
        try {
            CompletableFuture.allOf(outstanding.toArray(CompletableFuture[]::new))
                    .get(ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("[{}] {} message(s) still unacknowledged after {} s; exiting anyway", clientId,
                    outstanding.size(), ACK_WAIT.toSeconds());
        } catch (ExecutionException e) {
            // Each failure was logged as it happened.
        }
    }

    /** Messages to stdout as JSON lines; connection status to stderr as JSON lines. */
    private static final class PrintingListener implements HeraldListener {
        private final PrintWriter out;
        private final PrintWriter err;
        private final ObjectMapper json;
        private final CompletableFuture<String> kicked;

        PrintingListener(PrintWriter out, PrintWriter err, ObjectMapper json, CompletableFuture<String> kicked) {
            this.out = out;
            this.err = err;
            this.json = json;
            this.kicked = kicked;
        }

        @Override
        public void onMessage(ReceivedMessage message) {
            ObjectNode line = json.createObjectNode()
                    .put("messageId", Long.toUnsignedString(message.messageId()))
                    .put("contentType", message.contentType().label())
                    .put("qos", message.qos().level())
                    .put("traceId", message.traceId())
                    .put("timestamp", message.timestamp());
            if (message.contentType().isTextual()) {
                line.put("payload", message.payloadAsString());
            } else {
                line.put("payloadBase64", Base64.getEncoder().encodeToString(message.payload()));
            }
            // Printed before onMessage returns, so the ACK (sent after it) never precedes the output.
            print(out, line);
        }

        @Override
        public void onConnected(ConnectionInfo info) {
            print(err, json.createObjectNode().put("event", "connected").put("clientId", info.clientId())
                    .put("sessionId", info.sessionId()).put("gateway", info.gateway())
                    .put("transport", info.transport().name().toLowerCase(Locale.ROOT))
                    .put("reconnect", info.reconnect()));
        }

        @Override
        public void onDisconnected(Throwable cause) {
            print(err, json.createObjectNode().put("event", "disconnected")
                    .put("reason", cause == null ? "closed" : cause.getMessage()));
        }

        @Override
        public void onKicked(String reason) {
            print(err, json.createObjectNode().put("event", "kicked").put("reason", reason));
            kicked.complete(reason);
        }

        private void print(PrintWriter target, ObjectNode line) {
            String text;
            try {
                text = json.writeValueAsString(line);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot serialise a JSON tree", e);
            }
            synchronized (target) {
                target.println(text);
                target.flush();
            }
        }
    }

    /** {@code tcp} or {@code websocket}, in any case. */
    static final class TransportConverter implements CommandLine.ITypeConverter<Transport> {
        @Override
        public Transport convert(String value) {
            for (Transport candidate : Transport.values()) {
                if (candidate.name().equalsIgnoreCase(value)) {
                    return candidate;
                }
            }
            throw new CommandLine.TypeConversionException("expected tcp or websocket, not '" + value + "'");
        }
    }
}
