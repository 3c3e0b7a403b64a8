package io.campanile.storage.auth;

import jakarta.enterprise.context.RequestScoped;

/** The service whose token authenticated the current request, set by {@link ServiceAuthFilter}. */
@RequestScoped
public class CallingService {
    private String name;

    void set(String name) {
        this.name = name;
    }

    /** The service's name, e.g. {@code trainer}; {@code null} outside an authenticated request. */
    public String name() {
        return name;
    }
}
