package io.herald.gateway.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionsPerAddressTest {
    private static final InetAddress A = address("192.0.2.1");
    private static final InetAddress B = address("2001:db8::1");

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void ipv6AddressesCountByTheirSlash64() {
        ConnectionsPerAddress connections = new ConnectionsPerAddress(2);

        assertThat(connections.tryOpen(address("2001:db8:1:2::1"))).isTrue();
        assertThat(connections.tryOpen(address("2001:db8:1:2:ffff:ffff:ffff:fffe"))).isTrue();
        assertThat(connections.tryOpen(address("2001:db8:1:2:abcd::42")))
                .as("a third address of the same /64 is the same source").isFalse();
        assertThat(connections.tryOpen(address("2001:db8:1:3::1"))).as("the next /64 is another source").isTrue();
        assertThat(connections.count(address("2001:db8:1:2::99"))).isEqualTo(2);
        assertThat(connections.addresses()).isEqualTo(2);

        connections.closed(address("2001:db8:1:2::7")); // any address of the block uncounts from it
        assertThat(connections.tryOpen(address("2001:db8:1:2::8"))).isTrue();
    }

    @Test
    void anIpv4AddressWrittenAsIpv6IsTheIpv4Address() throws Exception {
        ConnectionsPerAddress connections = new ConnectionsPerAddress(1);
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 1};

        assertThat(connections.tryOpen(A)).isTrue();
        assertThat(connections.tryOpen(java.net.Inet6Address.getByAddress(null, mapped, -1))).isFalse();
    }

    @Test
    void refusesOneMoreThanTheMaximumPerAddress() {
        ConnectionsPerAddress connections = new ConnectionsPerAddress(2);

        assertThat(connections.tryOpen(A)).isTrue();
        assertThat(connections.tryOpen(A)).isTrue();
        assertThat(connections.tryOpen(A)).isFalse();
        assertThat(connections.tryOpen(B)).as("another address has its own count").isTrue();
        assertThat(connections.count(A)).isEqualTo(2);
    }

    @Test
    void aClosedConnectionFreesItsSlotAndTheLastOneItsEntry() {
        ConnectionsPerAddress connections = new ConnectionsPerAddress(2);
        connections.tryOpen(A);
        connections.tryOpen(A);

        connections.closed(A);
        assertThat(connections.tryOpen(A)).isTrue();
        connections.closed(A);
        connections.closed(A);

        assertThat(connections.count(A)).isZero();
        assertThat(connections.addresses()).isZero();
        connections.closed(A); // nothing to uncount: stays at zero
        assertThat(connections.addresses()).isZero();
    }

    @Test
    void racingConnectionsGetExactlyTheMaximumAndAllCloseBackToNothing() throws Exception {
        ConnectionsPerAddress connections = new ConnectionsPerAddress(50);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger opened = new AtomicInteger();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < 100; i++) {
                        if (connections.tryOpen(A)) {
                            opened.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(30, TimeUnit.SECONDS);
            }
            assertThat(opened).hasValue(50);

            List<Future<?>> closes = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                closes.add(threads.submit(() -> connections.closed(A)));
            }
            for (Future<?> future : closes) {
                future.get(30, TimeUnit.SECONDS);
            }
            assertThat(connections.addresses()).isZero();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void theMaximumIsAtLeastOne() {
        assertThatThrownBy(() -> new ConnectionsPerAddress(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
