package dev.norns.whatsapp.workflows.series;

/**
 * @param state where the series stands: a new series with its first occurrence made by the API, or the state carried
 *     over by continue-as-new
 * @param summary one line for the Temporal UI (who, what, which rule)
 */
public record SeriesInput(SeriesState state, String summary) {}
