/**
 * The scenario file (contract §2): YAML composed with SnakeYAML Engine into a node tree that
 * keeps line and column marks, {@code --set} overrides applied to that tree, then mapped field by
 * field into immutable records by one schema (field names, shapes, defaults) that also drives the
 * "known fields" lists and {@code --set} paths. Every problem is collected and reported as
 * {@code FILE:LINE:COL: FIELD: MESSAGE}; nothing but {@link io.svclab.scenario.ScenarioException}
 * escapes for any input ({@code FuzzTest}).
 */
package io.svclab.scenario;
