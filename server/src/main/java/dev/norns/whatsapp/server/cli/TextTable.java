package dev.norns.whatsapp.server.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table with aligned columns, what the runbook's psql queries printed; a missing value shows as
 * {@code -}. Kept dependency-free so output stays greppable and stable for scripts.
 */
final class TextTable {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  TextTable(String... headers) {
    this.headers = List.of(headers);
  }

  TextTable row(Object... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
    }
    rows.add(Arrays.stream(cells).map(TextTable::cell).toList());
    return this;
  }

  void print(PrintStream out) {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    out.println(line(headers, widths));
    out.println(line(Arrays.stream(widths).mapToObj("-"::repeat).toList(), widths));
    for (List<String> row : rows) {
      out.println(line(row, widths));
    }
    if (rows.isEmpty()) {
      out.println("(none)");
    }
  }

  private static String line(List<String> cells, int[] widths) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        text.append("  ");
      }
      text.append(cells.get(i)).append(" ".repeat(widths[i] - cells.get(i).length()));
    }
    return text.toString().stripTrailing();
  }

  private static String cell(Object value) {
    if (value == null) {
      return "-";
    }
    String text = value.toString().replace("\r", "").replace("\n", "\\n");
    return text.isEmpty() ? "-" : text;
  }
}
