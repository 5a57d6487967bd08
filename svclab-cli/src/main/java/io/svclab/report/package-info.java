/**
 * What a run prints: the result JSON of the contract (§4) written field by field with a streaming
 * generator so the same run gives the same bytes ({@link io.svclab.report.JsonReport}), the text
 * summary ({@link io.svclab.report.TextReport}) and the self-contained HTML report with uPlot
 * inlined ({@link io.svclab.report.HtmlReport}). Every figure comes from the run's records; none is
 * re-derived here. Explanations ({@code --explain}): {@code TextReport.writeExplanations} prints one
 * block per connection (5-tuple and outcome, one line per decision {@code 12.345678 s  where  what}
 * with the deciding entry below it as the real tool prints it, then the summary); the JSON carries
 * the same facts under {@code explanations}, after {@code dumps}, only when they were asked for, so
 * other runs' JSON is unchanged. Not yet: pcap.
 */
package io.svclab.report;
