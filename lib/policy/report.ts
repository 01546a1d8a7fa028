import type { PolicyReportData } from './finding';

/** Markdown cells hold no pipes or line breaks. */
function cell(text: string | undefined): string {
  return (text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** One row a suppression that can accept findings in the stack, with what it accepted; nothing when there are none. */
function suppressionLines(report: PolicyReportData): string[] {
  if (report.suppressions.length === 0) return [];
  return [
    '## Suppressions',
    '',
    '| rule | on | applies to | accepted | status | reason |',
    '| --- | --- | --- | --- | --- | --- |',
    ...report.suppressions.map((s) => {
      const appliesTo = s.appliesTo ? s.appliesTo.join(', ') + (s.unmatched.length > 0 ? ` (matching nothing: ${s.unmatched.join(', ')})` : '') : 'all';
      return `| ${s.ruleId} | ${cell(s.path || '(the App)')} | ${cell(appliesTo)} | ${s.accepted} | ${s.status} | ${cell(s.reason)} |`;
    }),
    '',
  ];
}

/** The policy report for people: a summary line, then one row a finding, the suppressions, then the rules that ran. */
export function renderMarkdownReport(report: PolicyReportData): string {
  const { findings } = report;
  const count = (status: string) => findings.filter((f) => f.status === status).length;
  const lines = [
    `# Docker policy report: stack ${report.stack}`,
    '',
    `Fails at: ${report.failAt}. Findings: ${findings.length} (${count('failed')} failed, ${count('reported')} reported, ` +
      `${count('suppressed')} suppressed).`,
    '',
    '| rule | level | container | finding | status | problem | fix or reason |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...findings.map(
      (f) =>
        `| ${f.ruleId} ${f.ruleName} | ${f.level} | ${cell(f.container)} | ${cell(f.findingId ?? '-')} | ${f.status} | ` +
        `${cell(f.problem)} | ${cell(f.suppression ? `suppressed: ${f.suppression.reason}` : f.fix)} |`,
    ),
    '',
    ...suppressionLines(report),
    '## Rules',
    '',
    '| rule | level | fix |',
    '| --- | --- | --- |',
    ...report.rules.map((r) => `| ${r.id} ${r.name} | ${r.level} | ${cell(r.fix)} |`),
    '',
  ];
  return lines.join('\n');
}

/** The policy report for tools. */
export function renderJsonReport(report: PolicyReportData): string {
  return `${JSON.stringify(
    {
      stack: report.stack,
      failAt: report.failAt,
      findings: report.findings.map((f) => ({
        ruleId: f.ruleId,
        ruleName: f.ruleName,
        level: f.level,
        status: f.status,
        container: f.container,
        path: f.path,
        findingId: f.findingId,
        problem: f.problem,
        fix: f.fix,
        suppressionReason: f.suppression?.reason,
      })),
      suppressions: report.suppressions,
      rules: report.rules.map((r) => ({ id: r.id, name: r.name, level: r.level, fix: r.fix })),
    },
    null,
    2,
  )}\n`;
}
