package dev.norns.whatsapp.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.norns.whatsapp.activities.testing.TestDatabase;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * Every error is the service's JSON shape with no internals; text PostgreSQL cannot store is a 422 naming the field;
 * the admin port is loopback-only with its tasks behind the key; no log line carries a full phone number.
 */
class SafeErrorsAppTest {
  private static final String KEY = "X-API-Key: " + RunningApp.API_KEY + "\r\n";
  private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();
  private static TestDatabase db;
  private static RunningApp app;
  private static String user;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    app = new RunningApp(db).start();
    LOG.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOG);
    user = app.createUser("+447911123456");
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOG);
    app.close();
    db.close();
  }

  private static int count(String table) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Integer.class).one());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      NUL in a name               | /api/users     | {"display_name":"Ada\\u0000Lovelace"}                            | display_name
      lone surrogate in a name    | /api/users     | {"display_name":"Ada\\ud800"}                                    | display_name
      NUL in a template variable  | /api/reminders | {"user_id":"U","template_name":"task_reminder","variables":{"task_name":"a\\u0000","due_time":"b"},"due_at":"2030-01-01T00:00:00Z"} | variables.task_name
      NUL in a variable name      | /api/reminders | {"user_id":"U","template_name":"task_reminder","variables":{"task\\u0000":"a","due_time":"b"},"due_at":"2030-01-01T00:00:00Z"} | variables
      NUL in a proactive body     | /api/whatsapp/send | {"user_id":"U","body":"hi\\u0000"}                           | body
      """)
  void givenTextPostgresCannotStore_itIs422NamingTheField_andNothingIsStored(String what, String path, String json,
      String field) {
    int users = count("users");
    int reminders = count("reminders");
    RunningApp.Reply reply = app.post(path, json.replace("\"U\"", "\"" + user + "\""));
    assertThat(reply.status()).as(reply.body()).isEqualTo(422);
    assertThat(reply.json().get("field").asText()).startsWith(field);
    assertThat(count("users")).isEqualTo(users);
    assertThat(count("reminders")).isEqualTo(reminders);
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      GET    | /no/such/route                | 404 | Accept: application/json
      PATCH  | /api/users                    | 405 | Accept: application/json
      GET    | /api/users                    | 406 | Accept: text/csv
      POST   | /api/users                    | 415 | Content-Type: text/plain
      GET    | //api/users                   | 400 | Accept: text/html
      GET    | /api%2Fusers                  | 400 | Accept: text/html
      """)
  void givenARequestJettyOrJerseyRefuses_theAnswerIsTheServicesJsonShape(String method, String target, int status,
      String header) {
    RawHttp.Answer answer = RawHttp.send(app.port(), method, target, KEY + header + "\r\n",
        method.equals("POST") ? "x" : null);
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.head()).containsIgnoringCase("Content-Type: application/json");
    assertThat(answer.body()).startsWith("{\"error\":\"").doesNotContain("jersey", "jetty", "Exception", "<html");
  }

  @Test
  void givenAUriOverJettysLimit_itIs414InTheJsonShape() {
    RawHttp.Answer answer = RawHttp.send(app.port(), "GET", "/api/users/" + "a".repeat(70_000), KEY, null);
    assertThat(answer.status()).isEqualTo(414);
    assertThat(answer.body()).isEqualTo("{\"error\":\"uri too long\"}");
  }

  @Test
  void givenABodyOver64KiB_itIs413AndNothingIsStored() {
    int users = count("users");
    RunningApp.Reply reply = app.post("/api/users", "{\"display_name\":\"" + "a".repeat(70_000) + "\"}");
    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.json().get("error").asText()).contains("64 KiB");
    assertThat(count("users")).isEqualTo(users);
  }

  @Test
  void givenAdminTasks_theyNeedAWriteKey_andTheThreadDumpIsOff() {
    assertThat(RawHttp.send(app.adminPort(), "POST", "/tasks/gc", "", null).status()).isEqualTo(401);
    assertThat(RawHttp.send(app.adminPort(), "POST", "/tasks/log-level?logger=ROOT&level=TRACE", "", null).status())
        .isEqualTo(401);
    assertThat(RawHttp.send(app.adminPort(), "POST", "/tasks/gc", KEY, null).status()).isEqualTo(200);
    assertThat(RawHttp.send(app.adminPort(), "GET", "/threads", "", null).status()).isEqualTo(404);
    assertThat(RawHttp.send(app.adminPort(), "GET", "/healthcheck", "", null).status()).isIn(200, 500);
  }

  @Test
  void givenTheDefaultConfiguration_bothPortsListenOnLoopbackOnly() throws Exception {
    DefaultServerFactory server = (DefaultServerFactory) app.configuration().getServerFactory();
    assertThat(((HttpConnectorFactory) server.getAdminConnectors().get(0)).getBindHost()).isEqualTo("127.0.0.1");
    assertThat(((HttpConnectorFactory) server.getApplicationConnectors().get(0)).getBindHost())
        .isEqualTo("127.0.0.1");
    List<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
        .filter(nic -> !isLoopback(nic)).flatMap(nic -> Collections.list(nic.getInetAddresses()).stream())
        .filter(address -> address instanceof java.net.Inet4Address).toList();
    for (InetAddress address : external) {
      for (int port : new int[] {app.adminPort(), app.port()}) {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress(address, port), 1000);
          throw new AssertionError("port " + port + " answers on " + address);
        } catch (java.io.IOException expected) {
          // refused: not listening there
        }
      }
    }
  }

  private static boolean isLoopback(NetworkInterface nic) {
    try {
      return nic.isLoopback();
    } catch (java.net.SocketException e) {
      return true;
    }
  }

  @Test
  void givenPhoneNumbersInPathsQueriesAndFailedInserts_noLogLineCarriesThem() {
    app.get("/api/whatsapp/session/+447911123456");
    app.get("/api/whatsapp/session/%2B44%207911%20123456");
    app.get("/sandbox/messages?to=%2B447911123456");
    app.post("/api/users", "{\"display_name\":\"Twin\",\"phone_number\":\"+447911123456\"}");
    RunningApp.eventually(java.time.Duration.ofSeconds(5), "request log lines",
        () -> LOG.list.stream().filter(e -> e.getLoggerName().equals("http.request")).count() >= 4);
    List<String> lines = LOG.list.stream().map(e -> e.getFormattedMessage()
        + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())).toList();
    assertThat(lines).anyMatch(line -> line.contains("/api/whatsapp/session/***3456"));
    assertThat(lines).noneMatch(line -> line.replaceAll("[^0-9]", "").contains("7911123456"));
  }
}
