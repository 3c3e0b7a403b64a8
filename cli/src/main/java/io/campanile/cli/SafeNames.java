package io.campanile.cli;

import java.util.Set;

/** File names from output roles and job file names: nothing that leaves the folder or upsets a shell. */
final class SafeNames {
    private SafeNames() {}

    /**
     * The name as a file name: spaces become {@code _} and {@code =} becomes {@code -} (as the trainer's folder
     * output names its images), anything but letters, digits, {@code .}, {@code _} and {@code -} becomes {@code _}, and
     * a leading dot is dropped.
     */
    static String of(String name) {
        String s = name.strip().replace(' ', '_').replace('=', '-').replaceAll("[^A-Za-z0-9._-]", "_");
        s = s.replaceFirst("^\\.+", "");
        if (s.length() > 120) {
            s = s.substring(0, 120);
        }
        return s.isEmpty() ? "output" : s;
    }

    /**
     * {@code name}, or {@code name-2}, {@code name-3} ... when a file of it with one of the {@code extensions} is taken;
     * those files are added to {@code taken}. Without extensions, the name itself is the file.
     */
    static String unique(String name, Set<String> taken, String... extensions) {
        String[] ext = extensions.length == 0 ? new String[] {""} : extensions;
        String n = name;
        for (int i = 2; !free(n, taken, ext); i++) {
            n = name + "-" + i;
        }
        for (String e : ext) {
            taken.add(n + e);
        }
        return n;
    }

    private static boolean free(String name, Set<String> taken, String[] extensions) {
        for (String e : extensions) {
            if (taken.contains(name + e)) {
                return false;
            }
        }
        return true;
    }
}
