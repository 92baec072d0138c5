package dev.loki.support;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.transaction.reactive.TransactionCallback;
import org.springframework.transaction.reactive.TransactionalOperator;

import reactor.core.publisher.Flux;

/**
 * Every database transaction of a service has a deadline (issue 11, item 19): the driver can wait
 * forever on a connection whose server hangs, or on the rollback of a connection that dropped halfway,
 * and a request must then answer 503 within seconds instead of holding its caller. The service's operator
 * is wrapped in one that fails with a {@link TimeoutException} (answered as
 * {@code store-unavailable}) once a transaction has run for {@code loki.store.transaction-timeout};
 * the cancelled transaction is rolled back in the background.
 */
@AutoConfiguration
@ConditionalOnClass(name = "org.springframework.transaction.reactive.TransactionalOperator")
public class BoundedTransactions {

    /** Bounds whichever {@link TransactionalOperator} the service has (Boot's, or one of its own). */
    @Bean
    static BeanPostProcessor lokiBoundedTransactions(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                return bean instanceof TransactionalOperator operator
                        ? bounded(operator, environment.getProperty("loki.store.transaction-timeout", Duration.class, Duration.ofSeconds(4)))
                        : bean;
            }
        };
    }

    /** {@code operator}, with every transaction it runs failing after {@code limit}. */
    public static TransactionalOperator bounded(TransactionalOperator operator, Duration limit) {
        return new TransactionalOperator() {
            @Override
            public <T> Flux<T> execute(TransactionCallback<T> action) {
                return operator.execute(action).timeout(limit, Flux.error(() ->
                        new TimeoutException("the database did not finish a transaction within " + limit.toSeconds() + " s")));
            }
        };
    }
}
