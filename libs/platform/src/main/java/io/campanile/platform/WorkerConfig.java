package io.campanile.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Settings of a worker service ({@code campanile.worker.*}). */
@ConfigMapping(prefix = "campanile.worker")
public interface WorkerConfig {
    /** Consumer group: replicas of one worker kind share it, and so share the topic's partitions. */
    String groupId();

    /** This replica's name in events and logs; the host name when unset. */
    Optional<String> instanceId();

    /** Attempts for a job whose failure is retriable (storage restarting) before it is dead-lettered. */
    @WithDefault("5")
    int maxAttempts();

    /** Longest a single job may run before the group hands its partition to another replica, in minutes. */
    @WithDefault("60")
    int maxJobMinutes();

    /** Least time between two progress events of a job, in milliseconds. */
    @WithDefault("250")
    long progressIntervalMs();

    /** The instance id, defaulted to the host name. */
    default String instance() {
        return instanceId().orElseGet(() -> {
            String host = System.getenv("HOSTNAME");
            if (host == null || host.isBlank()) {
                try {
                    host = java.net.InetAddress.getLocalHost().getHostName();
                } catch (java.net.UnknownHostException e) {
                    host = "worker";
                }
            }
            return groupId() + "@" + host + "#" + ProcessHandle.current().pid();
        });
    }
}
