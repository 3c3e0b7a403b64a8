package io.campanile.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The partition count of each topic as the services create them: platform's {@code TopicAdmin.layout()}, whose
 * counts are literals or {@code TopicAdmin} components that {@code KafkaConfig.topicAdmin()} fills from its keys.
 * Read from the sources, like every other fact the deploy checks use.
 */
final class TopicLayout {
    private static final Pattern LOOP =
            Pattern.compile("for\\s*\\(\\s*String\\s+(\\w+)\\s*:\\s*Topics\\.(\\w+)\\s*\\)");
    private static final Pattern NEW_TOPIC =
            Pattern.compile("new\\s+NewTopic\\(\\s*([\\w.]+)\\s*,\\s*(?:this\\.)?(\\w+)(?:\\(\\s*\\))?\\s*,");
    private static final Pattern LIST = Pattern.compile("List\\.of\\(([^)]*)\\)");
    private static final Pattern CONSTRUCTION = Pattern.compile("new\\s+TopicAdmin\\(([^;]*)\\)\\s*;");
    private static final Pattern PREFIX = Pattern.compile("@ConfigMapping\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");

    /** Topic name to its partition count: an integer literal or the configuration key that sets it. */
    private final Map<String, String> partitions = new LinkedHashMap<>();

    private final List<String> problems = new ArrayList<>();

    private TopicLayout() {}

    /**
     * Reads the layout.
     *
     * @param topicsSource contracts' Topics.java
     * @param topicAdminSource platform's TopicAdmin.java
     * @param kafkaConfigSource platform's KafkaConfig.java
     */
    static TopicLayout read(String topicsSource, String topicAdminSource, String kafkaConfigSource) {
        TopicLayout layout = new TopicLayout();
        String topics = JavaText.withoutComments(topicsSource);
        Map<String, String> names = JavaText.constants(topicsSource);
        Map<String, String> keys = componentKeys(topicAdminSource, kafkaConfigSource);
        String admin = JavaText.withoutComments(topicAdminSource);
        Map<String, String> loops = new LinkedHashMap<>();
        Matcher loop = LOOP.matcher(admin);
        while (loop.find()) {
            loops.put(loop.group(1), loop.group(2));
        }
        Matcher t = NEW_TOPIC.matcher(admin);
        while (t.find()) {
            String count = t.group(2).matches("\\d+") ? t.group(2) : keys.get(t.group(2));
            if (count == null) {
                layout.problems.add("TopicAdmin.layout(): the partition count " + t.group(2)
                        + " is neither a literal nor a component that KafkaConfig sets from a key");
                continue;
            }
            List<String> created = new ArrayList<>();
            if (loops.containsKey(t.group(1))) {
                created.addAll(listOf(topics, loops.get(t.group(1)), names));
            } else if (t.group(1).startsWith("Topics.")) {
                created.add(names.get(t.group(1).substring("Topics.".length())));
            } else {
                layout.problems.add("TopicAdmin.layout(): cannot tell which topic " + t.group(1) + " names");
            }
            for (String topic : created) {
                if (layout.partitions.put(topic, count) != null) {
                    layout.problems.add("TopicAdmin.layout() creates " + topic + " more than once");
                }
            }
        }
        return layout;
    }

    /** The partition count of a topic: a literal, or the key that sets it; empty when the layout lacks the topic. */
    Optional<String> partitionsOf(String topic) {
        return Optional.ofNullable(partitions.get(topic));
    }

    /** What could not be read (the checks report these rather than guess). */
    List<String> problems() {
        return List.copyOf(problems);
    }

    /** Topic names of {@code List<String> constant = List.of(A, B, ...)} in Topics. */
    private static List<String> listOf(String topics, String constant, Map<String, String> names) {
        Matcher decl =
                Pattern.compile("\\b" + Pattern.quote(constant) + "\\s*=\\s*").matcher(topics);
        List<String> out = new ArrayList<>();
        if (decl.find()) {
            Matcher list = LIST.matcher(topics);
            if (list.find(decl.end())) {
                for (String item : list.group(1).split(",")) {
                    String name = item.strip();
                    out.add(names.getOrDefault(name, name));
                }
            }
        }
        return out;
    }

    /** TopicAdmin component to the KafkaConfig key whose method fills it in {@code new TopicAdmin(...)}. */
    private static Map<String, String> componentKeys(String topicAdminSource, String kafkaConfigSource) {
        List<String> components = new ArrayList<>(
                JavaText.recordJsonNames(topicAdminSource, "TopicAdmin").keySet());
        String config = JavaText.withoutComments(kafkaConfigSource);
        Matcher prefix = PREFIX.matcher(config);
        Matcher construction = CONSTRUCTION.matcher(config);
        Map<String, String> keys = new LinkedHashMap<>();
        if (!prefix.find() || !construction.find()) {
            return keys;
        }
        String[] args = construction.group(1).split(",");
        for (int i = 0; i < args.length && i < components.size(); i++) {
            Matcher call = Pattern.compile("^(\\w+)\\(\\s*\\)$").matcher(args[i].strip());
            if (call.matches()) {
                keys.put(components.get(i), prefix.group(1) + "." + JavaConfigScanner.kebab(call.group(1)));
            }
        }
        return keys;
    }
}
