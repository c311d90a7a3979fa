package io.ssegateway.deploy;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The Helm chart under {@code helm/sse-gateway}, rendered in-process by helm-java (helm itself, as a
 * native library) exactly as {@code helm template} would render it.
 */
final class Chart {

    static final Path DIR = Path.of("helm", "sse-gateway");
    static final String RELEASE = "gw";
    static final String FULLNAME = "gw-sse-gateway";

    // helm-java renders for Kubernetes 1.20 unless told otherwise, which the chart's kubeVersion
    // (>= 1.23, for autoscaling/v2 and policy/v1) rightly refuses.
    private static final String KUBE_VERSION = "1.31.0";

    // Rendering the same scenario twice gives the same manifests: render each once per JVM.
    private static final Map<String, Manifests> SCENARIOS = new ConcurrentHashMap<>();

    private Chart() {
    }

    /** The CI scenarios, {@code ci/<name>-values.yaml}, by name. */
    static List<String> scenarios() {
        try (Stream<Path> files = Files.list(DIR.resolve("ci"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith("-values.yaml"))
                    .map(n -> n.substring(0, n.length() - "-values.yaml".length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The manifests of one CI scenario. */
    static Manifests scenario(String name) {
        return SCENARIOS.computeIfAbsent(name, n -> render(template().withValuesFile(DIR.resolve("ci").resolve(n + "-values.yaml"))));
    }

    /** The manifests for the chart's defaults overridden by {@code key=value} pairs, as {@code --set} takes them. */
    static Manifests with(String... keyValues) {
        return render(set(template(), keyValues));
    }

    /** The manifests for the chart's defaults overridden by a values file, for values {@code --set} would mistype. */
    static Manifests withValuesYaml(String yaml) {
        try {
            Path file = Files.createTempFile("values-", ".yaml");
            try {
                Files.writeString(file, yaml);
                return render(template().withValuesFile(file));
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The manifests for a scenario further overridden by {@code key=value} pairs. */
    static Manifests scenarioWith(String name, String... keyValues) {
        return render(set(template().withValuesFile(DIR.resolve("ci").resolve(name + "-values.yaml")), keyValues));
    }

    /** Renders with {@code key=value} overrides that must be refused; returns helm's message. */
    static String refusal(String... keyValues) {
        TemplateCommand command = set(template(), keyValues);
        try {
            command.call();
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        throw new AssertionError("helm rendered the chart with " + String.join(" ", keyValues));
    }

    /** The NOTES.txt helm prints after installing a scenario: a client-side dry run, no cluster. */
    static String notes(String scenario) {
        String output = new Helm(DIR).install().withName(RELEASE).withNamespace("sse").withKubeVersion(KUBE_VERSION)
                .withValuesFile(DIR.resolve("ci").resolve(scenario + "-values.yaml"))
                .dryRun().withDryRunOption(DryRun.CLIENT).clientOnly()
                .call().getOutput();
        int notes = output.indexOf("NOTES:");
        if (notes < 0) {
            throw new AssertionError("no NOTES in " + output);
        }
        return output.substring(notes);
    }

    static TemplateCommand template() {
        return new Helm(DIR).template().withName(RELEASE).withNamespace("sse").withKubeVersion(KUBE_VERSION);
    }

    private static TemplateCommand set(TemplateCommand command, String... keyValues) {
        for (String keyValue : keyValues) {
            int eq = keyValue.indexOf('=');
            command = command.set(keyValue.substring(0, eq), keyValue.substring(eq + 1));
        }
        return command;
    }

    private static Manifests render(TemplateCommand command) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml(new LoaderOptions()).loadAll(command.call())) {
            if (document != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) document;
                objects.add(object);
            }
        }
        return new Manifests(objects);
    }
}
