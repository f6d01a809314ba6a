// Every place a stack command writes text to: the report file, stdout, the GitHub job summary and
// the console. Each goes through the one scrubber, so no credential reaches any of them.
import { appendFileSync, writeFileSync } from 'node:fs';
import { scrub } from './scrub';

export interface ReportTargets {
  /** The report's file. */
  report?: string;
  /** Also append the report to $GITHUB_STEP_SUMMARY. */
  stepSummary?: boolean;
  /** Write the report to stdout when there is no file. */
  stdout?: boolean;
}

/** Writes a report to its file (or stdout), and to the GitHub job summary when asked. */
export function writeReport(text: string, targets: ReportTargets): void {
  const safe = scrub(text);
  if (targets.report) writeFileSync(targets.report, safe);
  else if (targets.stdout) process.stdout.write(safe);
  const summary = process.env.GITHUB_STEP_SUMMARY;
  if (targets.stepSummary && summary) appendFileSync(summary, `${safe}\n`);
}

/** Where the data of a report goes: beside it, `reports/dev.md` -> `reports/dev.json`. */
export function dataFileFor(report: string): string {
  return `${report.replace(/\.md$/, '')}.json`;
}

/** Writes data another step reads (beside the Markdown report: never parsed back from it). */
export function writeData(file: string, data: unknown): void {
  writeFileSync(file, scrub(`${JSON.stringify(data, null, 2)}\n`));
}

/** A report rendered from `data`, and beside its file (FILE.json) that data, which later steps render from. */
export function writeReportWithData(text: string, data: unknown, targets: ReportTargets): void {
  writeReport(text, targets);
  if (targets.report) writeData(dataFileFor(targets.report), data);
}

/** A line for the person or the CI log watching the command (stderr). */
export function say(line: string): void {
  process.stderr.write(`${scrub(line)}\n`);
}

/** A commander option given once per value (`--context A --context B`): the values in order. */
export const repeated = (value: string, previous: string[]): string[] => [...previous, value];
