package dev.norns.whatsapp.server.errors;

/** A client error with its HTTP status and the field it names. Never logged as a server fault. */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String field;

  public ApiException(int status, String field, String message) {
    super(message, null, false, false);
    this.status = status;
    this.field = field;
  }

  public static ApiException invalid(String field, String message) {
    return new ApiException(422, field, message);
  }

  /** {@code value} as one of {@code type}'s constants, any case; null when blank; a 422 naming them otherwise. */
  public static <E extends Enum<E>> E choice(String field, String value, Class<E> type) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Enum.valueOf(type, value.strip().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid(field, "'" + value + "' is not one of " + java.util.Arrays.toString(type.getEnumConstants()));
    }
  }

  public static ApiException notFound(String field, String message) {
    return new ApiException(404, field, message);
  }

  public static ApiException conflict(String field, String message) {
    return new ApiException(409, field, message);
  }

  public int status() {
    return status;
  }

  public String field() {
    return field;
  }
}
