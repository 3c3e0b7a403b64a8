package io.campanile.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.campanile.contracts.Topics;
import java.time.Duration;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** The topic layout's retention settings (issue 15: dead letters are pruned). */
class TopicAdminTest {
    @Test
    void deadLettersAreKeptTwoWeeks() {
        NewTopic deadLetters = new TopicAdmin(6, 6, (short) 1)
                .layout().stream()
                        .filter(t -> t.name().equals(Topics.DEAD_LETTERS))
                        .findFirst()
                        .orElseThrow();
        assertEquals(
                String.valueOf(Duration.ofDays(14).toMillis()),
                deadLetters.configs().get("retention.ms"));
    }
}
