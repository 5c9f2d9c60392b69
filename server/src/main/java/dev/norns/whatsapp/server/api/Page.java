package dev.norns.whatsapp.server.api;

import java.util.List;
import java.util.function.Function;

/** One page of a list read with one row more than asked for: the rows to show, and the cursor of the next page. */
public record Page<T>(List<T> items, String nextCursor) {

  /**
   * {@code rows} read with {@code limit + 1}: the first {@code limit}, and the cursor at the last of them when there
   * was one more (null at the end).
   */
  public static <R, T> Page<T> of(List<R> rows, int limit, Function<R, PageCursor> position, Function<R, T> view) {
    boolean more = rows.size() > limit;
    List<R> page = more ? rows.subList(0, limit) : rows;
    return new Page<>(page.stream().map(view).toList(),
        more ? position.apply(page.get(page.size() - 1)).encode() : null);
  }
}
