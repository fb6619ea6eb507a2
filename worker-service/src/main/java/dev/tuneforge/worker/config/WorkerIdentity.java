package dev.tuneforge.worker.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** This worker's id: {@code tuneforge.worker.id} if set, else host name and process id (unique per pod and per process). */
@ApplicationScoped
public class WorkerIdentity {
    private final String id;

    @Inject
    public WorkerIdentity(WorkerConfig config) {
        this(config.id());
    }

    WorkerIdentity(Optional<String> configured) {
        this.id = configured.map(String::strip).filter(s -> !s.isEmpty())
                .orElseGet(() -> hostName() + "-" + ProcessHandle.current().pid());
    }

    public String id() {
        return id;
    }

    private static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "worker";
        }
    }
}
