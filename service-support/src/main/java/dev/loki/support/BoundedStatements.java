package dev.loki.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.reactivestreams.Publisher;
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
import reactor.core.publisher.Flux;

/**
 * Every database call of a service has a deadline (issue 11, item 19): R2DBC drivers have no client-side
 * statement timeout, and a MariaDB that hangs (connections open, nothing answered) holds a query, and
 * its caller, forever. The service's {@link ConnectionFactory} is wrapped so that every publisher a
 * connection, statement, batch or result hands out fails with a {@link TimeoutException} (answered as
 * {@code store-unavailable}) when nothing arrives for {@code loki.store.statement-timeout} (2 s). A
 * failed query answers only once its connection's release is over, which is bounded the same way: a
 * read on a hung database answers within twice the limit.
 */
@AutoConfiguration
@ConditionalOnClass(name = "io.r2dbc.spi.ConnectionFactory")
public class BoundedStatements {

    @Bean
    static BeanPostProcessor lokiBoundedStatements(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                return bean instanceof ConnectionFactory factory && !Proxy.isProxyClass(bean.getClass())
                        ? bounded(factory, environment.getProperty("loki.store.statement-timeout", Duration.class, Duration.ofSeconds(2)))
                        : bean;
            }
        };
    }

    /**
     * {@code factory}, with every publisher its connections hand out bounded by {@code limit}. The
     * wrapper implements every interface of {@code factory} (a pool stays {@code Closeable}), and
     * {@code unwrap()} gives {@code factory} itself, so pool metrics and health still find the pool.
     */
    public static ConnectionFactory bounded(ConnectionFactory factory, Duration limit) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("unwrap") && method.getParameterCount() == 0) {
                return factory;
            }
            return bound(invoke(factory, method, args), method, limit);
        };
        return (ConnectionFactory) Proxy.newProxyInstance(BoundedStatements.class.getClassLoader(),
                ClassUtils.getAllInterfaces(factory), handler);
    }

    /** Wraps what an R2DBC call returned: a publisher gets the deadline, a connection, statement, batch or result is wrapped in turn. */
    private static Object bound(Object value, Method method, Duration limit) {
        if (value instanceof Publisher<?> publisher && method != null && method.getReturnType().isAssignableFrom(Flux.class)) {
            return Flux.from(publisher).map(item -> bound(item, null, limit)).timeout(limit, Flux.error(() ->
                    new TimeoutException("the database did not answer within " + limit.toSeconds() + " s")));
        }
        for (Class<?> type : new Class<?>[] {Connection.class, Statement.class, Batch.class, Result.class}) {
            if (type.isInstance(value) && !Proxy.isProxyClass(value.getClass())) {
                Object target = value;
                return Proxy.newProxyInstance(BoundedStatements.class.getClassLoader(), ClassUtils.getAllInterfaces(target),
                        (proxy, called, args) -> {
                            Object result = invoke(target, called, args);
                            // builder methods (bind, add, returnGeneratedValues…) return the target itself: keep the wrapper
                            return result == target ? proxy : bound(result, called, limit);
                        });
            }
        }
        return value;
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
