package org.activedefense.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The console's sources use no HTML-parsing or code-evaluating sink and no inline script or
 * style, so data can only ever become text and the CSP never has to allow 'unsafe-inline'.
 * (The browser tests prove the same with real payloads; this names the line that broke it.)
 */
class ConsoleSourceTest {

    private static final Path ROOT = Path.of("src", "main", "resources", "console");

    private static final List<Pattern> SCRIPT_SINKS = List.of(
            Pattern.compile("\\.innerHTML\\b"), Pattern.compile("\\.outerHTML\\b"),
            Pattern.compile("insertAdjacentHTML"), Pattern.compile("document\\.write"),
            Pattern.compile("\\beval\\s*\\("), Pattern.compile("new\\s+Function\\s*\\("),
            Pattern.compile("createContextualFragment"), Pattern.compile("DOMParser"),
            Pattern.compile("setAttribute\\(\\s*['\"](style|on\\w+|srcdoc)['\"]"),
            Pattern.compile("set(Timeout|Interval)\\(\\s*['\"`]"));

    private static final List<Pattern> MARKUP_SINKS = List.of(
            Pattern.compile("\\son\\w+\\s*=", Pattern.CASE_INSENSITIVE),
            Pattern.compile("\\sstyle\\s*=", Pattern.CASE_INSENSITIVE),
            Pattern.compile("<style", Pattern.CASE_INSENSITIVE),
            Pattern.compile("<script(?![^>]*\\ssrc=)", Pattern.CASE_INSENSITIVE),
            Pattern.compile("javascript:", Pattern.CASE_INSENSITIVE),
            Pattern.compile("https?://", Pattern.CASE_INSENSITIVE));

    @Test
    void noSourceFileHasAnHtmlSinkOrInlineCode() throws IOException {
        List<String> found = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(ROOT)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        assertFalse(files.isEmpty());
        for (Path file : files) {
            String name = file.getFileName().toString();
            List<Pattern> rules = name.endsWith(".js") ? SCRIPT_SINKS : name.endsWith(".html") ? MARKUP_SINKS : List.of();
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                for (Pattern rule : rules) {
                    if (rule.matcher(lines.get(i)).find()) {
                        found.add(ROOT.relativize(file) + ":" + (i + 1) + " " + rule + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }
}
