package io.campanile.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A Dockerfile as instructions (continuations joined, comments dropped), enough to check what it copies and runs. */
record Dockerfile(Path file, List<Instruction> instructions) {

    record Instruction(String keyword, String args, int line) {}

    /** A COPY or ADD: flags such as --chown or --from, sources, destination. */
    record Copy(int line, List<String> flags, List<String> sources, String destination) {
        boolean fromStage() {
            return flags.stream().anyMatch(f -> f.startsWith("--from="));
        }
    }

    static Dockerfile read(Path file) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int start = 0;
        String[] lines = Repo.read(file).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith("#") || line.isEmpty() && current.length() == 0) {
                continue;
            }
            if (current.length() == 0) {
                start = i + 1;
            }
            boolean continues = line.endsWith("\\");
            current.append(continues ? line.substring(0, line.length() - 1) : line)
                    .append(' ');
            if (!continues) {
                String text = current.toString().strip();
                int space = text.indexOf(' ');
                out.add(new Instruction(
                        text.substring(0, space < 0 ? text.length() : space).toUpperCase(),
                        space < 0 ? "" : text.substring(space + 1).strip(),
                        start));
                current.setLength(0);
            }
        }
        return new Dockerfile(file, out);
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    List<Copy> copies() {
        List<Copy> copies = new ArrayList<>();
        for (Instruction i : instructions) {
            if (!i.keyword().equals("COPY") && !i.keyword().equals("ADD")) {
                continue;
            }
            List<String> flags = new ArrayList<>();
            List<String> words = new ArrayList<>();
            String args = i.args();
            for (String w : args.startsWith("[") ? jsonArray(args) : List.of(args.split("\\s+"))) {
                (w.startsWith("--") && words.isEmpty() ? flags : words).add(w);
            }
            copies.add(new Copy(i.line(), flags, words.subList(0, words.size() - 1), words.get(words.size() - 1)));
        }
        return copies;
    }

    private static List<String> jsonArray(String args) {
        List<String> out = new ArrayList<>();
        for (String part : args.substring(1, args.lastIndexOf(']')).split(",")) {
            out.add(part.strip().replaceAll("^\"|\"$", ""));
        }
        return out;
    }
}
