package dev.loki.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.reactivestreams.Publisher;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.Wrapped;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A call to a database that no longer answers ends at once (issue 11, item 19), and only then. The
 * service's {@link ConnectionFactory} (the pool) is wrapped so that every publisher it, its connections,
 * statements, batches and results hand out fails with a {@code TimeoutException} (503
 * {@code store-unavailable}) when {@link DatabaseLiveness} declares the database lost — while the
 * database answers, nothing is cut: a lock wait, a long import or a commit run as long as they need.
 * A connection with a cut-off call is closed underneath the pool when it is given back, so the pool
 * discards it instead of handing out a connection with an exchange still pending; the release itself
 * never holds the caller once the database is lost (it finishes in the background).
 */
@AutoConfiguration
@ConditionalOnClass(name = "io.r2dbc.spi.ConnectionFactory")
public class LivenessBoundedConnections {

    @Bean
    static BeanPostProcessor lokiLivenessBoundedConnections(Environment environment) {
        return new Wrapper(environment);
    }

    private static final class Wrapper implements BeanPostProcessor, DisposableBean {

        private final Environment environment;
        private DatabaseLiveness liveness;

        Wrapper(Environment environment) {
            this.environment = environment;
        }

        @Override
        public synchronized Object postProcessAfterInitialization(Object bean, String name) {
            if (!(bean instanceof ConnectionFactory factory) || Proxy.isProxyClass(bean.getClass()) || liveness != null) {
                return bean;
            }
            ConnectionFactory direct = factory instanceof Wrapped<?> wrapped && wrapped.unwrap() instanceof ConnectionFactory inner ? inner : factory;
            liveness = new DatabaseLiveness(direct,
                    environment.getProperty("loki.store.database-ping-interval", Duration.class, Duration.ofMillis(500)),
                    environment.getProperty("loki.store.database-silence", Duration.class, Duration.ofSeconds(3)));
            return bounded(factory, liveness);
        }

        @Override
        public synchronized void destroy() {
            if (liveness != null) {
                liveness.close();
            }
        }
    }

    /**
     * {@code factory}, with every publisher its connections hand out cut off when {@code liveness} loses
     * the database. The wrapper implements every interface of {@code factory} (a pool stays
     * {@code Closeable}), and {@code unwrap()} gives {@code factory} itself, so metrics and health still
     * find the pool.
     */
    public static ConnectionFactory bounded(ConnectionFactory factory, DatabaseLiveness liveness) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("unwrap") && method.getParameterCount() == 0) {
                return factory;
            }
            return new Cut(liveness, null).bound(invoke(factory, method, args), method);
        };
        return (ConnectionFactory) Proxy.newProxyInstance(LivenessBoundedConnections.class.getClassLoader(),
                ClassUtils.getAllInterfaces(factory), handler);
    }

    /** What one connection's calls share: the liveness they are cut by, and whether one of them was. */
    private record Cut(DatabaseLiveness liveness, Connection connection, AtomicBoolean happened) {

        Cut(DatabaseLiveness liveness, Connection connection) {
            this(liveness, connection, new AtomicBoolean());
        }

        /** Wraps what an R2DBC call returned: a publisher gets cut off, a connection, statement, batch or result is wrapped in turn. */
        Object bound(Object value, Method method) {
            if (value instanceof Publisher<?> publisher && method != null && method.getReturnType().isAssignableFrom(Flux.class)) {
                if (connection != null && method.getName().equals("close") && method.getParameterCount() == 0) {
                    return release(publisher);
                }
                return cutOff(publisher);
            }
            if (value instanceof Connection opened && !Proxy.isProxyClass(value.getClass())) {
                return wrap(opened, connection == null ? new Cut(liveness, opened) : this);
            }
            for (Class<?> type : new Class<?>[] {Statement.class, Batch.class, Result.class}) {
                if (type.isInstance(value) && !Proxy.isProxyClass(value.getClass())) {
                    return wrap(value, this);
                }
            }
            return value;
        }

        /**
         * {@code publisher}, failing once the database is lost. A driver's {@link Mono} stays a Mono: a
         * caller's {@code Mono.from(..)} would cancel a Flux after its first item, which the driver takes
         * as an abandoned exchange.
         */
        private Publisher<?> cutOff(Publisher<?> publisher) {
            if (publisher instanceof Mono<?> mono) {
                return Mono.defer(() -> {
                    AtomicBoolean lost = new AtomicBoolean();
                    return mono.map(item -> bound(item, null))
                            .takeUntilOther(liveness.lost().doOnNext(signal -> lost.set(true)))
                            .switchIfEmpty(Mono.defer(() -> whenLost(lost)));
                });
            }
            return Flux.defer(() -> {
                AtomicBoolean lost = new AtomicBoolean();
                return Flux.from(publisher).map(item -> bound(item, null))
                        .takeUntilOther(liveness.lost().doOnNext(signal -> lost.set(true)))
                        .concatWith(Mono.defer(() -> whenLost(lost)));
            });
        }

        private <T> Mono<T> whenLost(AtomicBoolean lost) {
            if (!lost.get()) {
                return Mono.empty();
            }
            happened.set(true);
            return Mono.error(liveness.failure());
        }

        /**
         * Gives the connection back. A connection with a cut-off call is first closed underneath the pool
         * (which then discards it); once the database is lost the caller does not wait for the release.
         */
        private Mono<Void> release(Publisher<?> close) {
            return Mono.defer(() -> {
                if (happened.get() && connection instanceof Wrapped<?> pooled && pooled.unwrap() instanceof Connection underneath) {
                    Mono.from(underneath.close()).onErrorComplete().subscribe();
                }
                Mono<Void> releasing = Mono.from(close).then().cache();
                releasing.onErrorComplete().subscribe();
                return releasing.timeout(liveness.lost(), Mono.empty());
            });
        }

        private static Object wrap(Object target, Cut cut) {
            return Proxy.newProxyInstance(LivenessBoundedConnections.class.getClassLoader(), ClassUtils.getAllInterfaces(target),
                    (proxy, called, args) -> {
                        Object result = invoke(target, called, args);
                        // builder methods (bind, add, returnGeneratedValues…) return the target itself: keep the wrapper
                        return result == target ? proxy : cut.bound(result, called);
                    });
        }
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
