package dev.norns.whatsapp.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * There is no Docker engine where the tests run, so the deployment files are parsed and their properties checked:
 * pinned images, health-gated start order, the app's environment against config.yml, the Dockerfile's stages, user,
 * health check and entry point.
 */
class DeploymentFilesTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    /** An exact version: at least major.minor, then anything (e.g. {@code 3.9.9-eclipse-temurin-17}). */
    private static final Pattern EXACT_VERSION = Pattern.compile("\\d+\\.\\d+[A-Za-z0-9_.-]*");

    /** A DNS name under a public top-level domain, as a registry, mirror or download host would be written. */
    private static final Pattern PUBLIC_HOST_NAME = Pattern.compile(
            "(?i)\\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+(?:com|org|net|io|dev|co|cloud|app|ai|cn|ru|de|eu|uk)\\b");

    private static final Pattern URL_HOST = Pattern.compile("(?i)\\b[a-z][a-z0-9+.-]*://([^/:\\s'\"}]+)");

    private static final Pattern CONFIG_VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)");

    private static final Pattern SEARCH_ATTRIBUTE = Pattern.compile("--name\\s+(\\S+)\\s+--type\\s+(\\S+)");

    private static Path root;
    private static String composeText;
    private static JsonNode services;
    private static String dockerfileText;
    private static List<Instruction> dockerfile;
    private static Set<String> configVariables;

    record Instruction(String keyword, String arguments) {}

    record PortMapping(String hostIp, String published, String target) {}

    @BeforeAll
    static void readFiles() throws IOException {
        root = repositoryRoot();
        composeText = Files.readString(root.resolve("docker-compose.yml"));
        services = YAML.readTree(composeText).path("services");
        assertThat(services.isObject()).as("docker-compose.yml has a services map").isTrue();
        dockerfileText = Files.readString(root.resolve("Dockerfile"));
        dockerfile = parseDockerfile(dockerfileText);
        configVariables = new LinkedHashSet<>();
        Matcher m = CONFIG_VARIABLE.matcher(Files.readString(root.resolve("config.yml")));
        while (m.find()) {
            configVariables.add(m.group(1));
        }
        assertThat(configVariables).as("variables read by config.yml").isNotEmpty();
    }

    // ---------------------------------------------------------------- docker-compose.yml

    @Test
    void everyComposeImageIsPinnedToAnExactVersionAndTheAppIsBuilt() {
        SoftAssertions soft = new SoftAssertions();
        services.fields().forEachRemaining(e -> {
            String name = e.getKey();
            JsonNode service = e.getValue();
            if (service.has("build")) {
                soft.assertThat(service.path("image").asText(""))
                        .as("built service %s names no registry image", name)
                        .doesNotContain(":latest");
                return;
            }
            soft.assertThat(service.has("image")).as("service %s has an image", name).isTrue();
            String image = service.path("image").asText("");
            soft.assertThat(isPinned(image)).as("service %s image '%s' is pinned to an exact version", name, image)
                    .isTrue();
        });
        soft.assertThat(services.path("app").has("build")).as("the app service builds the Dockerfile").isTrue();
        soft.assertAll();
    }

    @Test
    void everyDependencyWaitsForAConditionThatTheDependencyCanMeet() {
        SoftAssertions soft = new SoftAssertions();
        services.fields().forEachRemaining(e -> {
            JsonNode dependsOn = e.getValue().path("depends_on");
            if (dependsOn.isMissingNode()) {
                return;
            }
            soft.assertThat(dependsOn.isObject())
                    .as("%s: depends_on is a map with conditions, not a bare list", e.getKey()).isTrue();
            dependsOn.fields().forEachRemaining(d -> {
                String dependency = d.getKey();
                String condition = d.getValue().path("condition").asText("");
                String what = e.getKey() + " -> " + dependency;
                soft.assertThat(services.has(dependency)).as("%s: the dependency is a service", what).isTrue();
                soft.assertThat(condition).as("%s: condition", what)
                        .isIn("service_healthy", "service_completed_successfully");
                JsonNode target = services.path(dependency);
                if (condition.equals("service_healthy")) {
                    soft.assertThat(hasHealthcheck(target)).as("%s: the dependency has a healthcheck", what)
                            .isTrue();
                }
                if (condition.equals("service_completed_successfully")) {
                    soft.assertThat(target.path("restart").asText("no"))
                            .as("%s: the dependency is a one-shot (restart \"no\")", what).isEqualTo("no");
                }
            });
        });
        soft.assertAll();
    }

    @Test
    void theAppStartsOnlyAfterItsDependenciesAreHealthyAndTheSearchAttributesAreRegistered() {
        JsonNode dependsOn = services.path("app").path("depends_on");
        Map<String, String> conditions = new LinkedHashMap<>();
        dependsOn.fields().forEachRemaining(d -> conditions.put(d.getKey(), d.getValue().path("condition").asText()));
        assertThat(conditions).containsEntry("postgres", "service_healthy")
                .containsEntry("redis", "service_healthy")
                .containsEntry("temporal", "service_healthy")
                .containsEntry("temporal-search-attributes", "service_completed_successfully");
    }

    @Test
    void theTemporalUiIsPublishedOnHostPort8233() {
        JsonNode ui = serviceWithImage("temporalio/ui");
        assertThat(environment(ui)).containsEntry("TEMPORAL_ADDRESS", "temporal:7233");
        assertThat(ports(ui)).anySatisfy(p -> {
            assertThat(p.published()).isEqualTo("8233");
            assertThat(p.target()).isEqualTo("8080");
        });
    }

    @Test
    void theSearchAttributeStepRegistersExactlyTheAppsAttributesOnTheDefaultNamespace() {
        JsonNode step = services.path("temporal-search-attributes");
        assertThat(step.isObject()).as("a temporal-search-attributes service").isTrue();
        assertThat(step.path("image").asText()).startsWith("temporalio/admin-tools:");
        assertThat(step.path("restart").asText()).isEqualTo("no");

        String script = text(step.path("entrypoint")) + "\n" + text(step.path("command"));
        assertThat(script).contains("search-attribute create").contains("--namespace default");
        List<String> registered = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        Matcher m = SEARCH_ATTRIBUTE.matcher(script);
        while (m.find()) {
            registered.add(m.group(1));
            types.put(m.group(1), m.group(2));
        }
        assertThat(registered).as("each attribute registered once").doesNotHaveDuplicates();
        assertThat(types).containsExactlyInAnyOrderEntriesOf(Map.of(
                "UserId", "Keyword",
                "ReminderStatus", "Keyword",
                "DueAt", "Datetime",
                "Channel", "Keyword"));
    }

    @Test
    void everyVariableSetOnTheAppIsReadByConfigYml() {
        Map<String, String> env = environment(services.path("app"));
        assertThat(env.keySet()).as("variables set on app, each must appear as ${NAME...} in config.yml")
                .isSubsetOf(configVariables);
        assertThat(env).containsKeys("TEMPORAL_ADDRESS", "DATABASE_URL", "REDIS_URL");
    }

    @Test
    void theAppReachesPostgresRedisAndTemporalByTheirServiceNames() {
        Map<String, String> env = environment(services.path("app"));
        assertThat(env.get("TEMPORAL_ADDRESS")).isEqualTo("temporal:7233");
        assertThat(env.get("DATABASE_URL")).startsWith("jdbc:postgresql://postgres:5432/");
        assertThat(env.get("REDIS_URL")).isEqualTo("redis://redis:6379");
        assertThat(services.has("postgres") && services.has("redis") && services.has("temporal")).isTrue();
    }

    @Test
    void theAppHealthcheckAsksTheAdminPort() {
        assertThat(text(services.path("app").path("healthcheck").path("test")))
                .contains("8081").contains("/healthcheck");
    }

    // ---------------------------------------------------------------- Dockerfile

    @Test
    void theDockerfileHasABuildAndARuntimeStageEachOnAPinnedImage() {
        List<String> stageNames = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (Instruction from : instructions("FROM")) {
            List<String> tokens = new ArrayList<>(List.of(from.arguments().split("\\s+")));
            tokens.removeIf(t -> t.startsWith("--"));
            String image = tokens.get(0);
            if (!stageNames.contains(image)) {
                images.add(image);
            }
            if (tokens.size() >= 3 && tokens.get(1).equalsIgnoreCase("AS")) {
                stageNames.add(tokens.get(2));
            }
        }
        assertThat(instructions("FROM")).as("FROM instructions").hasSizeGreaterThanOrEqualTo(2);
        assertThat(images).isNotEmpty().allSatisfy(image ->
                assertThat(isPinned(image)).as("image '%s' is pinned to an exact version", image).isTrue());
        assertThat(images.get(images.size() - 1)).as("the runtime image is a Java 17 JRE")
                .startsWith("eclipse-temurin:17.").contains("jre");
    }

    @Test
    void theDockerfileRunsAsANumericNonRootUser() {
        List<Instruction> runtime = runtimeStage();
        List<Instruction> users = runtime.stream().filter(i -> i.keyword().equals("USER")).toList();
        assertThat(users).as("USER in the runtime stage").isNotEmpty();
        String uid = users.get(users.size() - 1).arguments().trim().split(":")[0];
        assertThat(uid).as("uid").matches("\\d+");
        assertThat(Integer.parseInt(uid)).as("uid").isNotZero();
    }

    @Test
    void theDockerfileHealthcheckAsksTheAdminPort() {
        List<Instruction> checks = instructions("HEALTHCHECK");
        assertThat(checks).hasSize(1);
        assertThat(checks.get(0).arguments()).contains("CMD").contains("8081").contains("/healthcheck")
                .doesNotContain("NONE");
    }

    @Test
    void theDockerfileRunsTheShadedJarAsADropwizardServerWithConfigYml() throws IOException {
        String jarName = shadedJarName();
        List<String> entrypoint = jsonArray(single("ENTRYPOINT"));
        List<String> cmd = jsonArray(single("CMD"));

        assertThat(entrypoint).hasSize(3);
        assertThat(entrypoint.subList(0, 2)).containsExactly("java", "-jar");
        String jar = entrypoint.get(2);
        assertThat(jar).endsWith("/" + jarName);
        assertThat(cmd).hasSize(2);
        assertThat(cmd.get(0)).isEqualTo("server");
        String config = cmd.get(1);
        assertThat(config).endsWith("config.yml");

        List<String> copies = runtimeStage().stream()
                .filter(i -> i.keyword().equals("COPY")).map(Instruction::arguments).toList();
        assertThat(copies).as("the runtime stage copies the jar the entry point runs")
                .anySatisfy(c -> assertThat(c).contains("--from=").contains("server/target/" + jarName)
                        .endsWith(" " + jar));
        assertThat(copies).as("the runtime stage copies the config.yml the command names")
                .anySatisfy(c -> assertThat(c).isEqualTo("config.yml " + config));
    }

    @Test
    void theDockerfileBuildsEveryModuleOfTheRootPom() throws IOException {
        Matcher m = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>")
                .matcher(Files.readString(root.resolve("pom.xml")));
        List<String> modules = new ArrayList<>();
        while (m.find()) {
            modules.add(m.group(1));
        }
        assertThat(modules).isNotEmpty();
        List<String> copies = instructions("COPY").stream().map(Instruction::arguments).toList();
        for (String module : modules) {
            assertThat(copies).as("the poms are copied first, then the sources: module %s", module)
                    .anyMatch(c -> c.startsWith(module + "/pom.xml "))
                    .anyMatch(c -> c.startsWith(module + "/src ") || c.startsWith(". "));
        }
    }

    // ---------------------------------------------------------------- both

    @Test
    void theDeploymentFilesNameNoPackageRegistryOrOtherPublicHost() throws IOException {
        Map<String, String> files = Map.of(
                "docker-compose.yml", composeText,
                "Dockerfile", dockerfileText,
                ".dockerignore", Files.readString(root.resolve(".dockerignore")));
        Set<String> allowedUrlHosts = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
        services.fieldNames().forEachRemaining(allowedUrlHosts::add);

        SoftAssertions soft = new SoftAssertions();
        files.forEach((file, text) -> {
            Matcher host = PUBLIC_HOST_NAME.matcher(text);
            while (host.find()) {
                soft.fail("%s names the public host '%s'", file, host.group());
            }
            Matcher url = URL_HOST.matcher(text);
            while (url.find()) {
                soft.assertThat(url.group(1)).as("%s: host of '%s'", file, url.group()).isIn(allowedUrlHosts);
            }
        });
        List<String> images = new ArrayList<>();
        services.forEach(s -> {
            if (s.has("image")) {
                images.add(s.path("image").asText());
            }
        });
        instructions("FROM").forEach(i -> images.add(i.arguments().split("\\s+")[0]));
        for (String image : images) {
            String first = image.split("/")[0];
            soft.assertThat(image.contains("/") && (first.contains(".") || first.contains(":")
                            || first.equals("localhost")))
                    .as("image '%s' names a registry host", image).isFalse();
        }
        soft.assertAll();
    }

    /**
     * What {@code docker compose config} does, without Docker: compose-go (the loader Docker Compose uses) reads the
     * file with its variables, checks it against the compose-spec schema and prints the project. Run through the Go
     * toolchain ({@code src/test/go/composecheck}); a file with a wrong condition is refused the same way.
     */
    @Test
    void theComposeFileLoadsAsDockerComposeConfigLoadsIt_andTheAppKeepsItsSpoolOnAVolume() throws Exception {
        Path checker = root.resolve("server/src/test/go/composecheck");
        String[] ok = composeConfig(checker, root.resolve("docker-compose.yml"));
        assertThat(ok[0]).as(ok[1]).isEqualTo("0");
        JsonNode project = YAML.readTree(ok[1]);
        assertThat(project.path("services").path("app").path("volumes").toString()).contains("/app/var");
        assertThat(project.path("volumes").has("app-var")).isTrue();
        assertThat(project.path("services").path("app").path("depends_on").path("temporal").path("condition").asText())
            .isEqualTo("service_healthy");

        Path broken = Files.createTempFile("compose", ".yml");
        try {
            Files.writeString(broken, composeText.replace("condition: service_completed_successfully",
                "condition: service_finished"));
            String[] refused = composeConfig(checker, broken);
            assertThat(refused[0]).isNotEqualTo("0");
            assertThat(refused[1]).contains("condition");
        } finally {
            Files.deleteIfExists(broken);
        }
    }

    /** {exit code, output} of the compose loader on {@code file}, with the variables the file requires set. */
    private static String[] composeConfig(Path checker, Path file) throws Exception {
        ProcessBuilder go = new ProcessBuilder("go", "run", "-mod=readonly", ".", file.toString())
            .directory(checker.toFile()).redirectErrorStream(true);
        go.environment().put("NORNS_API_KEY", "compose-check-key-0123456789");
        Process process;
        try {
            process = go.start();
        } catch (IOException noGo) {
            return fail("the Go toolchain (go on PATH) runs the compose check: %s", noGo.getMessage());
        }
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return fail("the compose check did not finish in 5 minutes: %s", output);
        }
        return new String[] {Integer.toString(process.exitValue()), output};
    }

    // ---------------------------------------------------------------- helpers

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docker-compose.yml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        return fail("no directory above %s holds docker-compose.yml", Path.of("").toAbsolutePath());
    }

    /** Tagged with an exact version (not latest, not a variable) or pinned by digest. */
    private static boolean isPinned(String image) {
        if (image.contains("@sha256:")) {
            return true;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.indexOf(':', slash + 1);
        if (colon < 0) {
            return false;
        }
        String tag = image.substring(colon + 1);
        return !tag.toLowerCase().contains("latest") && EXACT_VERSION.matcher(tag).matches();
    }

    private static boolean hasHealthcheck(JsonNode service) {
        JsonNode check = service.path("healthcheck");
        if (check.path("disable").asBoolean(false)) {
            return false;
        }
        JsonNode test = check.path("test");
        String first = test.isArray() && !test.isEmpty() ? test.get(0).asText() : test.asText("");
        return !test.isMissingNode() && !first.isBlank() && !first.equals("NONE");
    }

    private static JsonNode serviceWithImage(String imagePrefix) {
        for (JsonNode service : services) {
            if (service.path("image").asText("").startsWith(imagePrefix + ":")) {
                return service;
            }
        }
        return fail("no service runs %s", imagePrefix);
    }

    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode node = service.path("environment");
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        } else if (node.isArray()) {
            node.forEach(item -> {
                String[] kv = item.asText().split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : null);
            });
        }
        return env;
    }

    private static List<PortMapping> ports(JsonNode service) {
        List<PortMapping> ports = new ArrayList<>();
        for (JsonNode port : service.path("ports")) {
            if (port.isObject()) {
                ports.add(new PortMapping(port.path("host_ip").asText(null), port.path("published").asText(null),
                        port.path("target").asText(null)));
                continue;
            }
            String[] parts = port.asText().replaceAll("/(tcp|udp)$", "").split(":");
            switch (parts.length) {
                case 1 -> ports.add(new PortMapping(null, null, parts[0]));
                case 2 -> ports.add(new PortMapping(null, parts[0], parts[1]));
                default -> ports.add(new PortMapping(parts[0], parts[1], parts[2]));
            }
        }
        return ports;
    }

    private static String text(JsonNode node) {
        if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            node.forEach(n -> parts.add(n.asText()));
            return String.join(" ", parts);
        }
        return node instanceof MissingNode ? "" : node.asText("");
    }

    /** Instructions with continuation lines joined and comments dropped, as Docker reads them. */
    private static List<Instruction> parseDockerfile(String text) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String full = current.toString().strip();
            current.setLength(0);
            if (full.isEmpty()) {
                continue;
            }
            String[] parts = full.split("\\s+", 2);
            instructions.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1].strip() : ""));
        }
        return instructions;
    }

    private static List<Instruction> instructions(String keyword) {
        return dockerfile.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    private static List<Instruction> runtimeStage() {
        int lastFrom = -1;
        for (int i = 0; i < dockerfile.size(); i++) {
            if (dockerfile.get(i).keyword().equals("FROM")) {
                lastFrom = i;
            }
        }
        assertThat(lastFrom).as("a FROM instruction").isNotNegative();
        return dockerfile.subList(lastFrom, dockerfile.size());
    }

    private static String single(String keyword) {
        List<Instruction> found = instructions(keyword);
        assertThat(found).as("%s instructions", keyword).hasSize(1);
        return found.get(0).arguments();
    }

    private static List<String> jsonArray(String execForm) {
        try {
            JsonNode node = YAML.readTree(execForm);
            assertThat(node.isArray()).as("exec form (JSON array): %s", execForm).isTrue();
            List<String> values = new ArrayList<>();
            node.forEach(n -> values.add(n.asText()));
            return values;
        } catch (IOException e) {
            return fail("not an exec form (JSON array): %s", execForm);
        }
    }

    /** The shade plugin's finalName in server/pom.xml, plus ".jar". */
    private static String shadedJarName() throws IOException {
        Matcher m = Pattern.compile("<finalName>\\s*([^<\\s]+)\\s*</finalName>")
                .matcher(Files.readString(root.resolve("server/pom.xml")));
        assertThat(m.find()).as("server/pom.xml names the shaded jar").isTrue();
        return m.group(1) + ".jar";
    }
}
