package io.playconnect.testkit;

import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.BrokerException.Reason;
import io.playconnect.core.spi.Message;
import io.playconnect.core.spi.RoomLogConfig;
import io.playconnect.core.spi.Subscription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.playconnect.testkit.ContractSupport.PATIENCE;
import static io.playconnect.testkit.ContractSupport.bytes;
import static io.playconnect.testkit.ContractSupport.failureOf;
import static io.playconnect.testkit.ContractSupport.join;
import static io.playconnect.testkit.ContractSupport.reasonOf;
import static io.playconnect.testkit.ContractSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Live messaging of a {@link Broker}: subjects and wildcards, queue groups, request-reply and its
 * failure reasons, size limit and per-publisher order. A subscription must be effective when
 * {@code subscribe} returns. Every test uses subjects under its own random prefix.
 */
public abstract class BrokerContract {
    protected Broker broker;
    private String prefix;

    /** A new, open broker; the suite closes it after the test. */
    protected abstract Broker newBroker(RoomLogConfig logConfig);

    @BeforeEach
    void openBroker() {
        broker = newBroker(RoomLogConfig.defaults());
        prefix = "t" + ContractSupport.unique();
    }

    @AfterEach
    void closeBroker() {
        broker.close();
    }

    /** A subject under this test's prefix. */
    protected String subject(String rest) {
        return prefix + "." + rest;
    }

    private Subscription record(String pattern, Recorder<String> into) {
        return broker.subscribe(pattern, m -> into.add(m.subject() + "=" + text(m.data())));
    }

    private void publish(String rest, String payload) {
        broker.publish(subject(rest), bytes(payload));
    }

    /** What a recorder shows for a message published by {@link #publish}. */
    private String seen(String rest, String payload) {
        return subject(rest) + "=" + payload;
    }

    @Test
    void exactSubjectGetsOnlyItsMessages() {
        Recorder<String> got = new Recorder<>();
        record(subject("room.a"), got);
        publish("room.b", "other");
        publish("room.a.b", "longer");
        publish("room", "shorter");
        publish("room.a", "mine");
        assertThat(got.awaitSize(1)).containsExactly(seen("room.a", "mine"));
        publish("room.a", "fence");
        assertThat(got.awaitSize(2)).containsExactly(seen("room.a", "mine"), seen("room.a", "fence"));
    }

    @Test
    void starMatchesExactlyOneToken() {
        Recorder<String> got = new Recorder<>();
        record(subject("game.*.move"), got);
        publish("game.1.move", "one");
        publish("game.move", "missing token");
        publish("game.1.2.move", "two tokens");
        publish("game.1.chat", "other tail");
        publish("game.2.move", "fence");
        assertThat(got.awaitSize(2)).containsExactly(seen("game.1.move", "one"), seen("game.2.move", "fence"));
    }

    @Test
    void greaterThanMatchesOneOrMoreTrailingTokens() {
        Recorder<String> got = new Recorder<>();
        record(subject("game.>"), got);
        publish("game", "no trailing token");
        publish("chat.1", "other");
        publish("game.1", "one");
        publish("game.1.move.x", "three");
        assertThat(got.awaitSize(2)).containsExactly(seen("game.1", "one"), seen("game.1.move.x", "three"));
        publish("game.fence", "fence");
        assertThat(got.awaitSize(3)).hasSize(3).last().isEqualTo(seen("game.fence", "fence"));
    }

    @Test
    void overlappingPatternsEachDeliverOnce() {
        Recorder<String> exact = new Recorder<>();
        Recorder<String> star = new Recorder<>();
        Recorder<String> tail = new Recorder<>();
        record(subject("a.b"), exact);
        record(subject("a.*"), star);
        record(subject(">"), tail);
        publish("a.b", "x");
        publish("a.c", "y");
        assertThat(exact.awaitSize(1)).containsExactly(seen("a.b", "x"));
        assertThat(star.awaitSize(2)).containsExactly(seen("a.b", "x"), seen("a.c", "y"));
        assertThat(tail.awaitSize(2)).containsExactly(seen("a.b", "x"), seen("a.c", "y"));
    }

    @Test
    void closeStopsDelivery() {
        Recorder<String> closed = new Recorder<>();
        Recorder<String> witness = new Recorder<>();
        Subscription sub = record(subject("s"), closed);
        record(subject("s"), witness);
        publish("s", "before");
        closed.awaitSize(1);
        witness.awaitSize(1);
        sub.close();
        sub.close();
        publish("s", "after");
        witness.awaitSize(2);
        assertThat(closed.snapshot()).containsExactly(seen("s", "before"));
    }

    @Test
    void queueGroupDeliversEachMessageToOneMember() {
        int messages = 60;
        List<Recorder<String>> workers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Recorder<String> r = new Recorder<>();
            workers.add(r);
            broker.subscribe(subject("work"), "workers", m -> r.add(text(m.data())));
        }
        Recorder<String> otherGroup = new Recorder<>();
        broker.subscribe(subject("work"), "auditors", m -> otherGroup.add(text(m.data())));
        Recorder<String> plainA = new Recorder<>();
        Recorder<String> plainB = new Recorder<>();
        broker.subscribe(subject("work"), null, m -> plainA.add(text(m.data())));
        broker.subscribe(subject("work"), m -> plainB.add(text(m.data())));
        List<String> sent = IntStream.range(0, messages).mapToObj(i -> "m" + i).collect(Collectors.toList());
        sent.forEach(p -> publish("work", p));

        assertThat(plainA.awaitSize(messages)).containsExactlyElementsOf(sent);
        assertThat(plainB.awaitSize(messages)).containsExactlyElementsOf(sent);
        assertThat(otherGroup.awaitSize(messages)).containsExactlyInAnyOrderElementsOf(sent);
        ContractSupport.eventually().until(() -> workers.stream().mapToInt(Recorder::size).sum() >= messages);
        List<String> all = workers.stream().flatMap(w -> w.snapshot().stream()).collect(Collectors.toList());
        assertThat(all).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void queueGroupSkipsClosedMembers() {
        Recorder<String> stays = new Recorder<>();
        Recorder<String> leaves = new Recorder<>();
        broker.subscribe(subject("q"), "g", m -> stays.add(text(m.data())));
        Subscription gone = broker.subscribe(subject("q"), "g", m -> leaves.add(text(m.data())));
        gone.close();
        for (int i = 0; i < 10; i++) {
            publish("q", "m" + i);
        }
        assertThat(stays.awaitSize(10)).hasSize(10);
        assertThat(leaves.snapshot()).isEmpty();
    }

    @Test
    void requestGetsTheReply() {
        broker.subscribe(subject("echo"), m -> m.respond(bytes("re:" + text(m.data()))));
        Message reply = join(broker.request(subject("echo"), bytes("hi"), PATIENCE));
        assertThat(text(reply.data())).isEqualTo("re:hi");
    }

    @Test
    void requestSeesReplySubject() {
        Recorder<String> replyTo = new Recorder<>();
        broker.subscribe(subject("who"), m -> {
            replyTo.add(String.valueOf(m.replyTo()));
            m.respond(bytes("ok"));
        });
        Recorder<String> plain = new Recorder<>();
        broker.subscribe(subject("plain"), m -> plain.add(String.valueOf(m.replyTo())));
        join(broker.request(subject("who"), bytes("?"), PATIENCE));
        publish("plain", "x");
        assertThat(replyTo.snapshot()).singleElement().asString().isNotBlank().isNotEqualTo("null");
        assertThat(plain.awaitSize(1)).containsExactly("null");
    }

    @Test
    void replyPublishedToReplySubjectAnswersTheRequest() {
        broker.subscribe(subject("later"), m -> broker.publish(m.replyTo(), bytes("by publish")));
        Message reply = join(broker.request(subject("later"), bytes("?"), PATIENCE));
        assertThat(text(reply.data())).isEqualTo("by publish");
    }

    @Test
    void requestToQueueGroupGetsOneReply() {
        AtomicLong answered = new AtomicLong();
        for (int i = 0; i < 3; i++) {
            String name = "w" + i;
            broker.subscribe(subject("svc"), "svc", m -> {
                answered.incrementAndGet();
                m.respond(bytes(name));
            });
        }
        for (int i = 0; i < 9; i++) {
            assertThat(text(join(broker.request(subject("svc"), bytes("?"), PATIENCE)).data())).startsWith("w");
        }
        assertThat(answered.get()).isEqualTo(9);
    }

    @Test
    void concurrentRequestsEachGetTheirOwnReply() {
        broker.subscribe(subject("double"), m -> m.respond(bytes(String.valueOf(2 * Long.parseLong(text(m.data()))))));
        List<CompletableFuture<Message>> futures = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            futures.add(broker.request(subject("double"), bytes(String.valueOf(i)), PATIENCE));
        }
        for (int i = 0; i < futures.size(); i++) {
            assertThat(text(join(futures.get(i)).data())).isEqualTo(String.valueOf(2 * i));
        }
    }

    @Test
    void requestWithoutSubscriberFailsFastWithNoResponders() {
        Duration timeout = PATIENCE.multipliedBy(4);
        long start = System.nanoTime();
        assertThat(reasonOf(() -> broker.request(subject("nobody"), bytes("?"), timeout)))
                .isEqualTo(Reason.NO_RESPONDERS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(timeout);
    }

    @Test
    void requestToClosedSubscriptionFailsWithNoResponders() {
        broker.subscribe(subject("gone"), m -> m.respond(bytes("x"))).close();
        assertThat(reasonOf(() -> broker.request(subject("gone"), bytes("?"), PATIENCE.multipliedBy(4))))
                .isEqualTo(Reason.NO_RESPONDERS);
    }

    @Test
    void silentSubscriberYieldsTimeoutAfterTheTimeout() throws InterruptedException {
        Duration timeout = Duration.ofMillis(300);
        CountDownLatch received = new CountDownLatch(1);
        broker.subscribe(subject("silent"), m -> received.countDown());
        long start = System.nanoTime();
        CompletableFuture<Message> future = broker.request(subject("silent"), bytes("?"), timeout);
        CompletableFuture<Long> failedAt = future.handle((m, e) -> System.nanoTime());
        assertThat(reasonOf(() -> future)).isEqualTo(Reason.TIMEOUT);
        assertThat(received.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(Duration.ofNanos(join(failedAt) - start)).isGreaterThanOrEqualTo(timeout);
    }

    @Test
    void messageOfMaxSizeIsCarried() {
        Recorder<Integer> sizes = new Recorder<>();
        broker.subscribe(subject("big"), m -> sizes.add(m.data().length));
        broker.publish(subject("big"), new byte[broker.maxMessageSize()]);
        assertThat(sizes.awaitSize(1)).containsExactly(broker.maxMessageSize());
    }

    @Test
    void messageAboveMaxSizeIsRefusedTooLarge() {
        Recorder<Integer> sizes = new Recorder<>();
        broker.subscribe(subject("big"), m -> {
            sizes.add(m.data().length);
            m.respond(bytes("ok"));
        });
        byte[] tooBig = new byte[broker.maxMessageSize() + 1];
        assertThatThrownBy(() -> broker.publish(subject("big"), tooBig))
                .isInstanceOfSatisfying(BrokerException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
        assertThat(reasonOf(() -> broker.request(subject("big"), tooBig, PATIENCE))).isEqualTo(Reason.TOO_LARGE);
        broker.publish(subject("big"), new byte[1]);
        assertThat(sizes.awaitSize(1)).containsExactly(1);
    }

    @Test
    void orderPerPublisherIsPreserved() throws InterruptedException {
        int publishers = 4;
        int perPublisher = 2_000;
        Recorder<String> got = new Recorder<>();
        record(subject("ordered"), got);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            int id = p;
            threads.add(new Thread(() -> {
                for (int i = 0; i < perPublisher; i++) {
                    publish("ordered", id + ":" + i);
                }
            }, "publisher-" + p));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(PATIENCE.toMillis());
        }
        List<String> all = got.awaitSize(publishers * perPublisher);
        for (int p = 0; p < publishers; p++) {
            String tag = subject("ordered") + "=" + p + ":";
            List<Integer> seqs = all.stream().filter(s -> s.startsWith(tag))
                    .map(s -> Integer.parseInt(s.substring(tag.length()))).collect(Collectors.toList());
            assertThat(seqs).as("publisher %d", p).containsExactlyElementsOf(
                    IntStream.range(0, perPublisher).boxed().collect(Collectors.toList()));
        }
    }

    @Test
    void throwingHandlerDoesNotStopOthers() {
        Recorder<String> thrower = new Recorder<>();
        Recorder<String> other = new Recorder<>();
        broker.subscribe(subject("boom"), m -> {
            thrower.add(text(m.data()));
            throw new IllegalStateException("handler failure (expected by the test)");
        });
        record(subject("boom"), other);
        publish("boom", "1");
        publish("boom", "2");
        assertThat(other.awaitSize(2)).containsExactly(seen("boom", "1"), seen("boom", "2"));
        assertThat(thrower.awaitSize(2)).containsExactly("1", "2");
    }

    @Test
    void invalidSubjectsAreRefused() {
        for (String bad : new String[] {"", ".a", "a.", "a..b", "a b", "a.*", "a.>", "a.b*"}) {
            assertThatThrownBy(() -> broker.publish(bad, bytes("x"))).as("publish %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        for (String bad : new String[] {"", "a..b", "a.>.b", "> .a", "a.b>", "a.*b"}) {
            assertThatThrownBy(() -> broker.subscribe(bad, m -> { })).as("subscribe %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(failureOf(() -> broker.request("a..b", bytes("x"), PATIENCE)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(failureOf(() -> broker.request(subject("x"), bytes("x"), Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closedBrokerIsUnavailable() {
        Set<Reason> reasons = new HashSet<>();
        broker.close();
        broker.close();
        assertThatThrownBy(() -> broker.publish(subject("x"), bytes("x")))
                .isInstanceOfSatisfying(BrokerException.class, e -> reasons.add(e.reason()));
        reasons.add(reasonOf(() -> broker.request(subject("x"), bytes("x"), PATIENCE)));
        assertThat(reasons).containsExactly(Reason.UNAVAILABLE);
    }
}
