package org.activedefense.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The instructions of docker/Dockerfile that say how the image starts the service (WORKDIR, COPY,
 * ENV, ENTRYPOINT, CMD, EXPOSE, VOLUME, HEALTHCHECK), read so tests can run the jar exactly as the
 * image would without a Docker engine. Reads the subset of the Dockerfile syntax the file uses:
 * comments, backslash continuations, {@code ENV k=v}, and the exec (JSON array) form.
 */
public final class Dockerfile {

    /** One instruction: its keyword in upper case and the rest of its (joined) line. */
    public record Instruction(String keyword, String arguments) {
    }

    private static final Pattern JSON_STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");

    public final List<Instruction> instructions;

    private Dockerfile(List<Instruction> instructions) {
        this.instructions = instructions;
    }

    public static Dockerfile read(Path file) throws IOException {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue; // comments may also sit between continuation lines
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String joined = current.toString().strip();
            current.setLength(0);
            if (joined.isEmpty()) {
                continue;
            }
            int space = joined.indexOf(' ');
            String keyword = (space < 0 ? joined : joined.substring(0, space)).toUpperCase(Locale.ROOT);
            out.add(new Instruction(keyword, space < 0 ? "" : joined.substring(space + 1).strip()));
        }
        return new Dockerfile(List.copyOf(out));
    }

    public List<String> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword.equals(keyword)).map(Instruction::arguments).toList();
    }

    /** The value of the last instruction with this keyword, or null. */
    public String last(String keyword) {
        List<String> all = all(keyword);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** The working directory the ENTRYPOINT runs in. */
    public String workdir() {
        String dir = last("WORKDIR");
        if (dir == null || !dir.startsWith("/")) {
            throw new IllegalStateException("the Dockerfile needs one absolute WORKDIR, found " + dir);
        }
        return dir;
    }

    /** Every ENV variable, in order (later ones win). */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String args : all("ENV")) {
            Matcher m = ENV_PAIR.matcher(args);
            int found = 0;
            while (m.find()) {
                String value = m.group(2);
                if (value.startsWith("\"")) {
                    value = value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
                }
                env.put(m.group(1), value);
                found++;
            }
            if (found == 0) {
                throw new IllegalStateException("ENV must use the key=value form: ENV " + args);
            }
        }
        return env;
    }

    /** ENTRYPOINT followed by CMD, as the container's first process is started. */
    public List<String> command() {
        List<String> command = new ArrayList<>(execForm("ENTRYPOINT"));
        command.addAll(execForm("CMD"));
        return command;
    }

    /** The HEALTHCHECK command (its options stripped). */
    public List<String> healthcheck() {
        String args = last("HEALTHCHECK");
        if (args == null) {
            throw new IllegalStateException("the Dockerfile has no HEALTHCHECK");
        }
        int cmd = args.indexOf("CMD ");
        if (cmd < 0) {
            throw new IllegalStateException("HEALTHCHECK without CMD: " + args);
        }
        return jsonArray(args.substring(cmd + 4).strip(), "HEALTHCHECK CMD");
    }

    /** COPY instructions as [sources..., destination], options such as --chown left out. */
    public List<List<String>> copies() {
        List<List<String>> copies = new ArrayList<>();
        for (String args : all("COPY")) {
            List<String> words = new ArrayList<>(List.of(args.split("\\s+")));
            words.removeIf(w -> w.startsWith("--"));
            copies.add(List.copyOf(words));
        }
        return copies;
    }

    /** EXPOSE entries as written, with /tcp added where no protocol is given: "5514/udp", "8080/tcp". */
    public List<String> exposed() {
        List<String> ports = new ArrayList<>();
        for (String args : all("EXPOSE")) {
            for (String p : args.split("\\s+")) {
                ports.add(p.contains("/") ? p : p + "/tcp");
            }
        }
        return ports;
    }

    public List<String> volumes() {
        List<String> volumes = new ArrayList<>();
        for (String args : all("VOLUME")) {
            volumes.addAll(args.startsWith("[") ? jsonArray(args, "VOLUME") : List.of(args.split("\\s+")));
        }
        return volumes;
    }

    private List<String> execForm(String keyword) {
        String args = last(keyword);
        return args == null ? List.of() : jsonArray(args, keyword);
    }

    private static List<String> jsonArray(String text, String what) {
        if (!text.startsWith("[") || !text.endsWith("]")) {
            throw new IllegalStateException(what + " must use the exec (JSON array) form: " + text);
        }
        List<String> items = new ArrayList<>();
        Matcher m = JSON_STRING.matcher(text);
        while (m.find()) {
            items.add(m.group(1).replaceAll("\\\\(.)", "$1"));
        }
        return items;
    }
}
