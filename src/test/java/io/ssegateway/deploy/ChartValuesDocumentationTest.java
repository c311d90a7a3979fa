package io.ssegateway.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every value in values.yaml carries a {@code # --} comment (the helm-docs convention), on itself or
 * on the enclosing value it is part of, so that the file is the chart's reference.
 */
class ChartValuesDocumentationTest {

    private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z0-9_.-]+):(.*)$");

    private record Key(int indent, String name, boolean documented) {
    }

    @Test
    void everyValueHasADocComment() throws IOException {
        List<String> lines = Files.readAllLines(Chart.DIR.resolve("values.yaml"));
        List<String> undocumented = new ArrayList<>();
        Deque<Key> enclosing = new ArrayDeque<>();
        boolean docComment = false;
        boolean inComment = false;
        int blockScalarIndent = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int indent = line.length() - line.stripLeading().length();
            if (blockScalarIndent >= 0 && (line.isBlank() || indent > blockScalarIndent)) {
                continue;
            }
            blockScalarIndent = -1;
            String text = line.strip();
            if (text.isEmpty()) {
                inComment = false;
                docComment = false;
                continue;
            }
            if (text.startsWith("#")) {
                if (!inComment) {
                    docComment = text.startsWith("# --");
                }
                inComment = true;
                continue;
            }
            inComment = false;
            Matcher key = KEY.matcher(line);
            if (!key.matches()) {
                docComment = false;
                continue; // a list item: part of the value of the key above it
            }
            while (!enclosing.isEmpty() && enclosing.peek().indent() >= indent) {
                enclosing.pop();
            }
            boolean documented = docComment || enclosing.stream().anyMatch(Key::documented);
            docComment = false;
            String value = key.group(3).strip();
            boolean opensBlock = value.isEmpty() && !nextContentIsList(lines, i);
            if (!opensBlock && !documented) {
                undocumented.add(path(enclosing, key.group(2)) + " (line " + (i + 1) + ")");
            }
            if (value.startsWith("|") || value.startsWith(">")) {
                blockScalarIndent = indent;
            }
            enclosing.push(new Key(indent, key.group(2), documented));
        }
        assertEquals(List.of(), undocumented, "values without a `# --` comment");
    }

    private static boolean nextContentIsList(List<String> lines, int from) {
        for (int i = from + 1; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (!text.isEmpty() && !text.startsWith("#")) {
                return text.startsWith("- ");
            }
        }
        return false;
    }

    private static String path(Deque<Key> enclosing, String name) {
        StringBuilder path = new StringBuilder();
        enclosing.descendingIterator().forEachRemaining(k -> path.append(k.name()).append('.'));
        return path.append(name).toString();
    }
}
