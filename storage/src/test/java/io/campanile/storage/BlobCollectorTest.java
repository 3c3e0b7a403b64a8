package io.campanile.storage;

import static io.campanile.storage.StorageRows.age;
import static io.campanile.storage.StorageRows.bindRef;
import static io.campanile.storage.StorageRows.blobExists;
import static io.campanile.storage.StorageRows.count;
import static io.campanile.storage.StorageRows.put;
import static io.campanile.storage.StorageRows.putFresh;
import static io.campanile.storage.StorageRows.registerImage;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.campanile.storage.service.BlobCollector;
import io.campanile.testkit.Infrastructure;
import io.campanile.testkit.InfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The blob collector and the pruning of attempts on real PostgreSQL, driven by {@link BlobCollector#collectOnce} with
 * ages set in SQL (default grace: 1 hour; attempts kept 30 days).
 */
@QuarkusTest
@WithTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "schema", value = "storage"))
class BlobCollectorTest {
    @Inject
    BlobCollector collector;

    @Test
    void onlyUnreferencedBlobsPastTheGraceAreDeleted() throws Exception {
        String young = putFresh("young");
        String old = putFresh("old");
        String png = putFresh("png");
        String tensor = putFresh("tensor");
        String embedding = putFresh("embedding");
        String input = putFresh("input");
        UUID job = UUID.randomUUID();
        registerImage(job, "final", png, tensor);
        bindRef("text-embeddings", "k" + UUID.randomUUID().toString().replace("-", ""), embedding);
        ServiceCalls.as("gateway")
                .contentType("application/json")
                .body(Map.of("tenant", "t", "inputs", List.of(input)))
                .when()
                .post("/internal/jobs/" + job)
                .then()
                .statusCode(204);
        for (String sha : List.of(old, png, tensor, embedding, input)) {
            age(sha, 2);
        }
        age(young, 0);

        collector.collectOnce(Instant.now());

        assertFalse(blobExists(old), "unreferenced and past the grace");
        assertTrue(blobExists(young), "within the grace");
        for (String sha : List.of(png, tensor, embedding, input)) {
            assertTrue(blobExists(sha), "referenced by an image, a ref or a hold");
        }

        ServiceCalls.as("gateway").when().delete("/internal/jobs/" + job).then().statusCode(204);
        collector.collectOnce(Instant.now());
        assertFalse(blobExists(png), "the deleted job's outputs go with the next pass");
        assertFalse(blobExists(tensor));
        assertFalse(blobExists(input));
        assertTrue(blobExists(embedding));
    }

    @Test
    void storingBytesAgainRenewsTheirGrace() throws Exception {
        byte[] bytes = ("again " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        String sha = put(bytes);
        age(sha, 2);
        put(bytes);
        collector.collectOnce(Instant.now());
        assertTrue(blobExists(sha));
        collector.collectOnce(Instant.now().plus(Duration.ofMinutes(61)));
        assertFalse(blobExists(sha), "a grace later, nothing referred to it");
    }

    @Test
    void aBlobBeingStoredAgainIsNotDeletedUnderThePut() throws Exception {
        String sha = putFresh("locked");
        age(sha, 2);
        try (Connection c = Infrastructure.postgres().connect()) {
            c.setAutoCommit(false);
            // a put in flight: it renewed the row and has not committed yet
            try (PreparedStatement s =
                    c.prepareStatement("update storage.blobs set last_put_at = now() where sha256 = ?")) {
                s.setString(1, sha);
                s.executeUpdate();
            }
            collector.collectOnce(Instant.now());
            c.commit();
        }
        assertTrue(blobExists(sha), "skipped while locked, then young");
    }

    @Test
    void aPutWaitingOnTheCollectorsDeleteStoresTheBytesAgain() throws Exception {
        byte[] bytes = ("race " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        String sha = put(bytes);
        try (Connection c = Infrastructure.postgres().connect()) {
            c.setAutoCommit(false);
            // the collector's delete in flight
            try (PreparedStatement s = c.prepareStatement("delete from storage.blobs where sha256 = ?")) {
                s.setString(1, sha);
                s.executeUpdate();
            }
            long waitingBefore = waitingOnLocks();
            CompletableFuture<String> putAgain = CompletableFuture.supplyAsync(() -> put(bytes));
            await().atMost(Duration.ofSeconds(30)).until(() -> waitingOnLocks() > waitingBefore);
            c.commit();
            assertEquals(sha, putAgain.get());
        }
        assertTrue(blobExists(sha), "the put inserted the row again after the delete");
    }

    private static long waitingOnLocks() throws Exception {
        return count(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like ?",
                "insert into blobs%");
    }

    @Test
    void attemptsOfLongFinishedOrAbandonedJobsArePruned() throws Exception {
        UUID finishedLongAgo = UUID.randomUUID();
        UUID finishedRecently = UUID.randomUUID();
        UUID abandoned = UUID.randomUUID();
        UUID running = UUID.randomUUID();
        String insert = "insert into storage.attempts (consumer, job_id, count, first_at, last_at, finished_at) "
                + "values ('stage1-requests', ?, 1, now() - interval '40 days', ?::timestamptz, ?::timestamptz)";
        StorageRows.update(insert, finishedLongAgo, "2000-01-01T00:00:00Z", instantDaysAgo(31));
        StorageRows.update(insert, finishedRecently, instantDaysAgo(40), instantDaysAgo(29));
        StorageRows.update(insert, abandoned, instantDaysAgo(31), null);
        StorageRows.update(insert, running, instantDaysAgo(1), null);

        collector.collectOnce(Instant.now());

        String sql = "select count(*) from storage.attempts where job_id = ?";
        assertEquals(0, count(sql, finishedLongAgo));
        assertEquals(1, count(sql, finishedRecently));
        assertEquals(0, count(sql, abandoned));
        assertEquals(1, count(sql, running));
    }

    private static String instantDaysAgo(int days) {
        return Instant.now().minus(Duration.ofDays(days)).toString();
    }
}
