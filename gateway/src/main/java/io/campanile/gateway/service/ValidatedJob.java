package io.campanile.gateway.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.campanile.contracts.JobType;
import java.util.List;
import java.util.Map;

/**
 * A job request that passed validation.
 *
 * @param type the job type
 * @param model the model pack id (default filled in)
 * @param seed the resolved seed (random when the request had none)
 * @param params every parameter of the type, defaults filled in, images excluded
 * @param images decoded-and-checked image fields (PNG or JPEG bytes) by field name
 * @param requestHash SHA-256 of the canonical request body, for idempotency keys
 * @param topic where the job goes first: its worker's topic, or the text encoder's for T5-conditioned models
 * @param warnings what the user should know about how the job will run (e.g. a prompt cut at 77 tokens)
 */
public record ValidatedJob(
        JobType type,
        String model,
        long seed,
        ObjectNode params,
        Map<String, byte[]> images,
        String requestHash,
        String topic,
        List<String> warnings) {}
