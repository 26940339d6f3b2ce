package io.playconnect.broker.memory;

import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.BrokerException.Reason;
import io.playconnect.core.spi.Message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RequestReplyTest {
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private final InMemoryBroker broker = InMemoryBroker.create();

    @AfterEach
    void close() {
        broker.close();
    }

    private static Reason reasonOf(CompletableFuture<?> f) {
        return BrokerException.reasonOf(f.handle((v, e) -> e).orTimeout(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).join());
    }

    @Test
    void mixedTimeoutsExpireNoEarlierThanTheirDeadlineAndAnsweredOnesNever() {
        ConcurrentLinkedQueue<Message> parked = new ConcurrentLinkedQueue<>();
        broker.subscribe("svc", parked::add);
        Duration[] timeouts = {Duration.ofMillis(40), Duration.ofMillis(120), Duration.ofMillis(75)};
        List<CompletableFuture<Message>> futures = new ArrayList<>();
        List<Long> startedAt = new ArrayList<>();
        List<CompletableFuture<Long>> endedAt = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            startedAt.add(System.nanoTime());
            Duration timeout = i % 2 == 0 ? Duration.ofHours(1) : timeouts[i % 3];
            CompletableFuture<Message> f = broker.request("svc", new byte[] {(byte) i}, timeout);
            futures.add(f);
            endedAt.add(f.handle((m, e) -> System.nanoTime()));
        }
        // Answer the even requests (which would wait an hour) from another thread; the rest time out.
        Thread responder = new Thread(() -> {
            int i = 0;
            for (Message m : parked) {
                if (i++ % 2 == 0) {
                    m.respond(m.data());
                }
            }
        });
        responder.start();
        for (int i = 0; i < futures.size(); i++) {
            CompletableFuture<Message> f = futures.get(i);
            if (i % 2 == 0) {
                assertThat(f.orTimeout(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).join().data()[0]).isEqualTo((byte) i);
            } else {
                assertThat(reasonOf(f)).as("request %d", i).isEqualTo(Reason.TIMEOUT);
                long waited = endedAt.get(i).join() - startedAt.get(i);
                assertThat(waited).as("request %d waited", i).isGreaterThanOrEqualTo(timeouts[i % 3].toNanos());
            }
        }
        await().atMost(PATIENCE).until(() -> broker.watchedRequests() == 0);
    }

    @Test
    void answeredRequestsLeaveTheTimerQueueLongBeforeTheirDeadline() {
        broker.subscribe("later", m -> new Thread(() -> m.respond(new byte[0])).start());
        List<CompletableFuture<Message>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(broker.request("later", new byte[0], Duration.ofHours(1)));
        }
        futures.forEach(f -> f.orTimeout(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).join());
        await().atMost(PATIENCE).until(() -> broker.watchedRequests() == 0);
    }

    @Test
    void replyCompletesOnTheRespondersThreadAndTimeoutOnTheTimers() throws Exception {
        AtomicReference<Message> parked = new AtomicReference<>();
        broker.subscribe("t", parked::set);
        AtomicReference<Thread> completedOn = new AtomicReference<>();
        CompletableFuture<Message> answered = broker.request("t", new byte[0], PATIENCE);
        CompletableFuture<Void> seen = answered.thenRun(() -> completedOn.set(Thread.currentThread()));
        Thread responder = new Thread(() -> parked.get().respond(new byte[] {7}), "responder");
        responder.start();
        responder.join(PATIENCE.toMillis());
        seen.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(completedOn.get()).isSameAs(responder);

        CompletableFuture<Message> silent = broker.request("t", new byte[0], Duration.ofMillis(20));
        CompletableFuture<String> timedOutOn = silent.handle((m, e) -> Thread.currentThread().getName());
        assertThat(timedOutOn.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).startsWith("playconnect-broker-memory-");
    }

    @Test
    void firstReplyWinsAndLaterOnesAreIgnored() {
        broker.subscribe("two", m -> m.respond(new byte[] {1}));
        broker.subscribe("two", m -> m.respond(new byte[] {2}));
        Message reply = broker.request("two", new byte[0], PATIENCE).join();
        assertThat(reply.data()).containsExactly(1);
        assertThat(reply.subject()).startsWith("_INBOX.");
        assertThat(reply.replyTo()).isNull();
    }

    @Test
    void namedInboxesAreForgottenOnceAnsweredOrTimedOut() {
        broker.subscribe("named", m -> broker.publish(m.replyTo(), new byte[] {1}));
        broker.request("named", new byte[0], PATIENCE).join();
        AtomicReference<String> inbox = new AtomicReference<>();
        broker.subscribe("ignored", m -> inbox.set(m.replyTo()));
        assertThat(reasonOf(broker.request("ignored", new byte[0], Duration.ofMillis(20)))).isEqualTo(Reason.TIMEOUT);
        assertThat(broker.namedInboxes()).isZero();
        // A late answer to a finished request goes nowhere and breaks nothing.
        broker.publish(inbox.get(), new byte[] {1});
        broker.publish("_INBOX.not-ours.1", new byte[] {1});
    }

    @Test
    void replyAboveMaxSizeIsRefusedToTheResponder() {
        InMemoryBroker small = InMemoryBroker.newBuilder().maxMessageSize(8).build();
        try {
            AtomicReference<Reason> refused = new AtomicReference<>();
            small.subscribe("big", m -> {
                try {
                    m.respond(new byte[9]);
                } catch (BrokerException e) {
                    refused.set(e.reason());
                }
            });
            assertThat(reasonOf(small.request("big", new byte[1], Duration.ofMillis(20)))).isEqualTo(Reason.TIMEOUT);
            assertThat(refused.get()).isEqualTo(Reason.TOO_LARGE);
        } finally {
            small.close();
        }
    }

    @Test
    void closeFailsWaitingRequestsAsUnavailable() {
        broker.subscribe("wait", m -> { });
        CompletableFuture<Message> waiting = broker.request("wait", new byte[0], Duration.ofHours(1));
        broker.close();
        assertThat(reasonOf(waiting)).isEqualTo(Reason.UNAVAILABLE);
        assertThat(reasonOf(broker.request("wait", new byte[0], PATIENCE))).isEqualTo(Reason.UNAVAILABLE);
    }

    @Test
    void hugeTimeoutIsAccepted() {
        broker.subscribe("echo", m -> m.respond(m.data()));
        assertThat(broker.request("echo", new byte[] {3}, Duration.ofSeconds(Long.MAX_VALUE)).join().data())
                .containsExactly(3);
    }
}
