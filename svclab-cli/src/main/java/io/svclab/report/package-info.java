/**
 * What a run prints: the result JSON of the contract (§4) written field by field with a streaming
 * generator so the same run gives the same bytes ({@link io.svclab.report.JsonReport}), the text
 * summary ({@link io.svclab.report.TextReport}) and the self-contained HTML report with uPlot
 * inlined ({@link io.svclab.report.HtmlReport}). Every figure comes from the run's records; none is
 * re-derived here. Not yet: explanations of failed connections, pcap.
 */
package io.svclab.report;
