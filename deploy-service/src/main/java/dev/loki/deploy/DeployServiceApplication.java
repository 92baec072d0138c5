package dev.loki.deploy;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** deploy-service: deployment templates, plans and (next) runs over SSH. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DeployServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(DeployServiceApplication.class, args);
    }
}
