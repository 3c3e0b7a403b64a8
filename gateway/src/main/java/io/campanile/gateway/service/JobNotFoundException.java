package io.campanile.gateway.service;

import java.util.UUID;

/** No job has this id. The API answers 404. */
public class JobNotFoundException extends RuntimeException {
    public JobNotFoundException(UUID id) {
        super("no job " + id);
    }
}
