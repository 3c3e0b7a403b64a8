package io.campanile.gateway.messaging;

import io.campanile.platform.JsonProducer;
import io.campanile.platform.KafkaConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The Kafka producer the gateway shares (its storage client, with its token, comes from platform's StorageClients). */
@ApplicationScoped
public class KafkaSetup {

    @Produces
    @Singleton
    JsonProducer producer(KafkaConfig kafka) {
        return new JsonProducer(kafka.settings("gateway"));
    }

    void close(@Disposes JsonProducer producer) {
        producer.close();
    }
}
