package dev.norns.whatsapp.activities.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InboundJournalTest {
  @TempDir
  Path dir;

  private static InboundMessage message(String sid, String body) {
    return new InboundMessage(sid, "whatsapp:+14155550100", "whatsapp:+14155238886", body, "Ada", "14155550100",
        List.of(new InboundMessage.Media("https://api.twilio.com/m/1", "image/jpeg")), null, null, null,
        Instant.parse("2026-11-26T09:00:00Z"));
  }

  /** What a reader finds: every sealed message, oldest first. */
  private static List<InboundMessage> read(InboundJournal journal) {
    List<InboundMessage> found = new ArrayList<>();
    for (InboundJournal.Segment segment : journal.readable()) {
      segment.entries().forEach(entry -> found.add(entry.message()));
    }
    return found;
  }

  private List<String> files() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }

  @Test
  void givenMessagesWritten_aReaderFindsThemAllInOrder_andAFreshJournalFindsThemAfterACrash() {
    InboundJournal journal = new InboundJournal(dir);
    journal.write(message("SM1", "first"));
    journal.write(message("SM2", "second ✅ with ünïcode"));
    assertThat(read(journal)).containsExactly(message("SM1", "first"), message("SM2", "second ✅ with ünïcode"));

    // The process dies here: what write() returned from is on disk, and the next start reads it.
    InboundJournal afterCrash = new InboundJournal(dir);
    assertThat(read(afterCrash)).containsExactly(message("SM1", "first"), message("SM2", "second ✅ with ünïcode"));

    journal.write(message("SM3", "third"));
    assertThat(read(journal)).extracting(InboundMessage::sid).containsExactly("SM1", "SM2", "SM3");
  }

  @Test
  void givenMoreThanASegmentHolds_theNextOneIsUsed_preparedAhead_andEverythingIsReadInOrder() throws IOException {
    InboundJournal journal = new InboundJournal(dir, InboundJournal.MAX_RECORD_BYTES + 8);
    journal.prepareSpare();
    assertThat(files()).containsExactly(".spare");
    for (int i = 0; i < 5000; i++) {
      journal.write(message("SM" + i, "message number " + i));
    }
    List<InboundJournal.Segment> segments = journal.readable();
    assertThat(segments).hasSizeGreaterThan(1);
    assertThat(segments.get(0).active()).isFalse();
    assertThat(segments.get(segments.size() - 1).active()).isTrue();
    assertThat(read(journal)).extracting(InboundMessage::sid)
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 5000).mapToObj(i -> "SM" + i).toList());
  }

  @Test
  void givenManyConcurrentWriters_everyMessageIsThereExactlyOnce() throws Exception {
    InboundJournal journal = new InboundJournal(dir);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> writers = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      writers.add(pool.submit(() -> {
        for (int i = 0; i < 250; i++) {
          journal.write(message("SM" + thread + "x" + i, "message " + i));
          if (i % 50 == 0) {
            journal.seal();
          }
        }
      }));
    }
    for (Future<?> writer : writers) {
      writer.get();
    }
    pool.shutdown();
    journal.seal();
    List<String> sids = read(journal).stream().map(InboundMessage::sid).toList();
    assertThat(sids).hasSize(2000).doesNotHaveDuplicates();
    for (int t = 0; t < 8; t++) {
      String prefix = "SM" + t + "x";
      List<Integer> order = sids.stream().filter(s -> s.startsWith(prefix))
          .map(s -> Integer.parseInt(s.substring(prefix.length()))).toList();
      assertThat(order).as("each writer's messages in the order it wrote them").isSorted();
    }
  }

  @Test
  void givenTwiliosRetryOfTheSameSid_itIsNotWrittenTwice() {
    InboundJournal journal = new InboundJournal(dir);
    journal.write(message("SMsame", "hello"));
    journal.write(message("SMsame", "hello"));
    journal.seal();
    assertThat(read(journal)).hasSize(1);
  }

  @Test
  void givenProgressRecorded_aRestartReadsOnlyWhatCameAfter_andAFinishedSegmentIsGone() throws IOException {
    InboundJournal journal = new InboundJournal(dir);
    for (int i = 0; i < 5; i++) {
      journal.write(message("SM" + i, "m" + i));
    }
    InboundJournal.Segment segment = journal.readable().get(0);
    assertThatThrownBy(segment::finished).as("still being written").isInstanceOf(IllegalStateException.class);
    List<InboundJournal.Entry> entries = new ArrayList<>();
    segment.entries().forEach(entries::add);
    segment.processedUpTo(entries.get(2).next());

    InboundJournal restarted = new InboundJournal(dir);
    assertThat(read(restarted)).extracting(InboundMessage::sid).containsExactly("SM3", "SM4");
    restarted.readable().get(0).finished();
    assertThat(files()).isEmpty();
  }

  @Test
  void givenTheSegmentBeingWrittenAllProcessed_itIsClosedAndDeleted_onlyOnceOpenLongEnough() throws IOException {
    InboundJournal journal = new InboundJournal(dir);
    journal.write(message("SM1", "x"));
    InboundJournal.Segment segment = journal.readable().get(0);
    long end = segment.entries().iterator().next().next();
    journal.retireIfProcessed(segment, end - 1, Duration.ZERO);
    assertThat(journal.readable().get(0).active()).as("not all processed").isTrue();
    journal.retireIfProcessed(segment, end, Duration.ofHours(1));
    assertThat(journal.readable().get(0).active()).as("not open long enough").isTrue();
    journal.retireIfProcessed(segment, end, Duration.ZERO);
    InboundJournal.Segment closed = journal.readable().get(0);
    assertThat(closed.active()).isFalse();
    closed.finished();
    assertThat(files()).isEmpty();
    journal.write(message("SM2", "the next message opens a new segment"));
    assertThat(read(journal)).extracting(InboundMessage::sid).containsExactly("SM2");
  }

  @Test
  void givenARecordCutShortByACrash_itIsSkipped_andTheOnesBeforeItAreRead() throws IOException {
    InboundJournal journal = new InboundJournal(dir);
    journal.write(message("SM1", "whole"));
    journal.write(message("SM2", "cut short"));
    Path segment = dir.resolve("000000000001.seg");
    byte[] bytes = Files.readAllBytes(segment);
    int end = new String(bytes, StandardCharsets.ISO_8859_1).lastIndexOf('}') + 1;
    // The crash came while the last record's end was being written: zeros where its last bytes should be.
    try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
      file.seek(end - 10);
      file.write(new byte[10]);
    }
    assertThat(read(new InboundJournal(dir))).extracting(InboundMessage::sid).containsExactly("SM1");
  }

  @Test
  void givenARecordWhoseBytesChanged_itCannotBeRead_andIsKeptInRejected() throws IOException {
    InboundJournal journal = new InboundJournal(dir);
    journal.write(message("SM1", "intact"));
    journal.write(message("SM2", "flipped"));
    journal.write(message("SM3", "intact too"));
    Path segment = dir.resolve("000000000001.seg");
    byte[] bytes = Files.readAllBytes(segment);
    int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("flipped");
    bytes[at] = 'F';
    Files.write(segment, bytes);

    List<String> read = new ArrayList<>();
    for (InboundJournal.Entry entry : journal.readable().get(0).entries()) {
      try {
        read.add(entry.message().sid());
      } catch (IllegalArgumentException damaged) {
        assertThat(damaged).hasMessageContaining("checksum");
        assertThat(journal.reject(entry, damaged.getMessage())).exists().content().contains("Flipped");
      }
    }
    assertThat(read).containsExactly("SM1", "SM3");
  }

  @Test
  void givenBytesThatAreNoRecordInTheMiddle_theSegmentIsKeptInRejectedWhenFinished() throws IOException {
    InboundJournal journal = new InboundJournal(dir);
    journal.write(message("SM1", "before"));
    journal.write(message("SM2", "after"));
    journal.seal();
    Path segment = dir.resolve("000000000001.seg");
    byte[] bytes = Files.readAllBytes(segment);
    int second = 8 + (((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8)
        | (bytes[3] & 0xff));
    bytes[second] = (byte) 0x7f;
    Files.write(segment, bytes);

    InboundJournal.Segment sealed = journal.readable().get(0);
    List<String> read = new ArrayList<>();
    sealed.entries().forEach(entry -> read.add(entry.message().sid()));
    assertThat(read).containsExactly("SM1");
    sealed.finished();
    assertThat(files()).containsExactly("rejected/000000000001.seg");
  }

  @Test
  void givenTheEarlierOneFilePerMessageSpool_itsMessagesAreTakenIntoTheLog() throws IOException {
    Files.writeString(dir.resolve("SMold.json"), "{\"sid\":\"SMold\",\"from\":\"whatsapp:+14155550100\","
        + "\"to\":\"whatsapp:+14155238886\",\"body\":\"spooled before the upgrade\",\"media\":[],"
        + "\"receivedAt\":\"2026-11-25T08:00:00Z\"}");
    Files.writeString(dir.resolve("SMbroken.json"), "{not json");

    InboundJournal journal = new InboundJournal(dir);
    assertThat(read(journal)).extracting(InboundMessage::sid, InboundMessage::body)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("SMold", "spooled before the upgrade"));
    assertThat(files()).containsExactly("000000000001.seg", "SMbroken.json.rejected");
  }

  @Test
  void givenANameThatIsNoTwilioSid_nothingIsWritten() throws IOException {
    InboundJournal journal = new InboundJournal(dir);
    assertThatThrownBy(() -> journal.write(message("../etc/passwd", "x"))).isInstanceOf(IllegalArgumentException.class);
    assertThat(files()).isEmpty();
  }
}
