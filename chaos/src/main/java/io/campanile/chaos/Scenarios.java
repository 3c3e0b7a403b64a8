package io.campanile.chaos;

import java.time.Duration;
import java.util.List;

/** The campaign's scenarios in the order they run; {@code --fast} keeps those marked fast (the CI subset). */
final class Scenarios {
    private Scenarios() {}

    /** Every scenario; {@code fast} shortens the ones that have a CI-sized form (kill-stage1: 20 jobs, 2 kills). */
    static List<Scenario> all(boolean fast) {
        return List.of(
                fast ? new KillStage1(20, 2) : new KillStage1(50, 3),
                new SigtermStage1(),
                new KillGateway(200),
                new KillStorage(),
                new KafkaOutage(Duration.ofSeconds(30)),
                new KafkaOutage(Duration.ofSeconds(90)),
                new PostgresOutage(Duration.ofSeconds(30)),
                new PostgresOutage(Duration.ofMinutes(6)),
                new Poison(),
                new LongJob(),
                new TrainerKill());
    }

    /** The CI subset. */
    static List<Scenario> fast() {
        return all(true).stream().filter(Scenario::fast).toList();
    }

    /** The named scenarios, in the campaign's order; an unknown name fails with the list of known ones. */
    static List<Scenario> named(List<String> names) {
        List<Scenario> all = all(false);
        for (String n : names) {
            if (all.stream().noneMatch(s -> s.name().equals(n))) {
                throw new IllegalArgumentException("unknown scenario " + n + "; known: "
                        + all.stream().map(Scenario::name).toList());
            }
        }
        return all.stream().filter(s -> names.contains(s.name())).toList();
    }
}
