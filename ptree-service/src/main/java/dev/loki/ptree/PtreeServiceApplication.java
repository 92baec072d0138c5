package dev.loki.ptree;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** ptree-service: the service tree on ZooKeeper. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PtreeServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(PtreeServiceApplication.class, args);
    }
}
