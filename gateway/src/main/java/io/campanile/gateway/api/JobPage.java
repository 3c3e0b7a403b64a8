package io.campanile.gateway.api;

import java.util.List;

/** One page of jobs, newest first; pass {@code next_cursor} as {@code cursor} for the next page (null at the end). */
public record JobPage(List<JobView> items, String nextCursor) {}
