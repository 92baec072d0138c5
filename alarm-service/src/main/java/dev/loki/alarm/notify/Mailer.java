package dev.loki.alarm.notify;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

import dev.loki.alarm.system.AlarmProperties;
import jakarta.mail.internet.MimeMessage;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The e-mail channel: one message per delivery over SMTP ({@code spring.mail.*}, {@code LOKI_SMTP_HOST}…),
 * sent off the event loop. Its {@code Message-ID} is made from the delivery's idempotency key, so a message
 * sent again after a crash is the same message to every mail client.
 */
@Component
class Mailer {

    static final int MAX_RECIPIENTS = 10;
    private static final Pattern ADDRESS = Pattern.compile("^[^@\\s,<>]{1,64}@[A-Za-z0-9.-]{1,253}$");

    private final ObjectProvider<JavaMailSender> sender;
    private final String from;
    private final JsonMapper json = JsonMapper.builder().build();

    Mailer(ObjectProvider<JavaMailSender> sender, AlarmProperties properties) {
        this.sender = sender;
        this.from = properties.notifications().mailFrom();
    }

    /** Whether {@code target} is one to {@link #MAX_RECIPIENTS} addresses separated by commas. */
    static boolean addresses(String target) {
        List<String> list = recipients(target);
        return !list.isEmpty() && list.size() <= MAX_RECIPIENTS && list.stream().allMatch(a -> ADDRESS.matcher(a).matches());
    }

    private static List<String> recipients(String target) {
        return Arrays.stream(target.split(",")).map(String::strip).filter(a -> !a.isEmpty()).toList();
    }

    /** Sends the delivery's body as a message to {@code target}; errors when SMTP refuses it or none is configured. */
    Mono<Void> send(String target, String idempotencyKey, String body, Duration timeout) {
        JavaMailSender mail = sender.getIfAvailable();
        if (mail == null) {
            return Mono.error(new IllegalStateException("no SMTP server is configured (LOKI_SMTP_HOST)"));
        }
        return Mono.fromRunnable(() -> {
                    try {
                        MimeMessage message = mail.createMimeMessage();
                        MimeMessageHelper helper = new MimeMessageHelper(message, false, StandardCharsets.UTF_8.name());
                        helper.setFrom(from);
                        helper.setTo(recipients(target).toArray(String[]::new));
                        helper.setSubject(subject(body));
                        helper.setText(text(body));
                        message.setHeader("X-Loki-Idempotency-Key", idempotencyKey);
                        message.saveChanges();
                        // after saveChanges, which would make a Message-ID of its own
                        message.setHeader("Message-ID", "<" + idempotencyKey + "@loki>");
                        mail.send(message);
                    } catch (jakarta.mail.MessagingException e) {
                        throw new IllegalStateException(e.getMessage(), e);
                    }
                })
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(timeout)
                .then();
    }

    /** {@code [Loki] FIRING critical: cpu busy on /corp/web (20)}. */
    private String subject(String body) {
        JsonNode tree = json.readTree(body);
        JsonNode group = tree.path("group");
        return "[Loki] " + tree.path("event").asString("").toUpperCase(java.util.Locale.ROOT) + " " + group.path("severity").asString("")
                + ": " + group.path("title").asString("") + " (" + group.path("count").asInt() + ")";
    }

    private String text(String body) {
        JsonNode tree = json.readTree(body);
        JsonNode group = tree.path("group");
        StringBuilder text = new StringBuilder();
        text.append(group.path("title").asString("")).append('\n')
                .append("node: ").append(group.path("nodePath").asString("")).append('\n')
                .append("alarms: ").append(group.path("count").asInt()).append('\n');
        if (group.path("hostnames").size() > 0) {
            text.append("hosts: ");
            group.path("hostnames").forEach(h -> text.append(h.asString()).append(' '));
            text.append('\n');
        }
        if (group.has("deployments")) {
            group.path("deployments").forEach(d -> text.append("held back while deployment ").append(d.path("id").asLong())
                    .append(" (").append(d.path("version").asString("")).append(") ran\n"));
        }
        text.append('\n').append(body).append('\n');
        return text.toString();
    }
}
