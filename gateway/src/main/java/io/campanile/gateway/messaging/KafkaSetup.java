package io.campanile.gateway.messaging;

import io.campanile.platform.JsonProducer;
import io.campanile.platform.KafkaConfig;
import io.campanile.platform.StorageClient;
import io.campanile.platform.StorageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The clients the gateway shares: one Kafka producer, one storage client. */
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

    @Produces
    @Singleton
    StorageClient storage(StorageConfig config) {
        return new StorageClient(config.url());
    }
}
