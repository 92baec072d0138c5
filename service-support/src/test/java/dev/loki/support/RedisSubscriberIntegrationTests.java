package dev.loki.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;

import dev.loki.testsupport.PausableRedis;
import reactor.core.Disposable;

/** Issue 11, item 21: a pub/sub listener subscribes again by itself when Redis comes back. */
class RedisSubscriberIntegrationTests {

    @Test
    void item21_aListenerSurvivesARedisRestart() {
        try (PausableRedis redis = PausableRedis.start()) {
            LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
            factory.afterPropertiesSet();
            factory.start();
            ReactiveStringRedisTemplate template = new ReactiveStringRedisTemplate(factory);
            List<String> received = new CopyOnWriteArrayList<>();
            AtomicInteger subscriptions = new AtomicInteger();
            Disposable listener = RedisSubscriber.listen(factory, "test", subscriptions::incrementAndGet,
                    m -> received.add(m.getMessage()), ChannelTopic.of("loki.test.ping"));
            try {
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> subscriptions.get() == 1);
                template.convertAndSend("loki.test.ping", "before").block(Duration.ofSeconds(5));
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("before"));

                redis.restart();

                Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    template.convertAndSend("loki.test.ping", "after").block(Duration.ofSeconds(5));
                    assertThat(received).contains("after");
                });
            } finally {
                listener.dispose();
                factory.destroy();
            }
        }
    }

    @Test
    void item21_aListenerStartedWhileRedisIsDownSubscribesOnceItIsUp() {
        try (PausableRedis redis = PausableRedis.start()) {
            redis.down();
            LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
            factory.afterPropertiesSet();
            factory.start();
            List<String> received = new CopyOnWriteArrayList<>();
            AtomicInteger subscriptions = new AtomicInteger();
            Disposable listener = RedisSubscriber.listen(factory, "test", subscriptions::incrementAndGet,
                    m -> received.add(m.getMessage()), ChannelTopic.of("loki.test.ping"));
            try {
                redis.up();
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> subscriptions.get() >= 1);
                ReactiveStringRedisTemplate template = new ReactiveStringRedisTemplate(factory);
                Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    template.convertAndSend("loki.test.ping", "late").block(Duration.ofSeconds(5));
                    assertThat(received).contains("late");
                });
            } finally {
                listener.dispose();
                factory.destroy();
            }
        }
    }
}
