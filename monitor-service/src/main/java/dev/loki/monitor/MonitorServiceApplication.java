package dev.loki.monitor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** monitor-service: OpenTSDB proxy, dashboard figures and alert rules. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class MonitorServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(MonitorServiceApplication.class, args);
    }
}
