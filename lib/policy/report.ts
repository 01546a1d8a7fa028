import type { DockerPolicyChecks, PolicyFinding } from './docker-policy';

/** Markdown cells hold no pipes or line breaks. */
function cell(text: string | undefined): string {
  return (text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The policy report for people: a summary line, then one row a finding, then the rules that ran. */
export function renderMarkdownReport(stackName: string, checks: DockerPolicyChecks, findings: PolicyFinding[]): string {
  const count = (status: string) => findings.filter((f) => f.status === status).length;
  const lines = [
    `# Docker policy report: stack ${stackName}`,
    '',
    `Fails at: ${checks.failAt}. Findings: ${findings.length} (${count('failed')} failed, ${count('reported')} reported, ` +
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
    '## Rules',
    '',
    '| rule | level | fix |',
    '| --- | --- | --- |',
    ...checks.rules.map((r) => `| ${r.id} ${r.name} | ${r.level} | ${cell(r.fix)} |`),
    '',
  ];
  return lines.join('\n');
}

/** The policy report for tools. */
export function renderJsonReport(stackName: string, checks: DockerPolicyChecks, findings: PolicyFinding[]): string {
  return `${JSON.stringify(
    {
      stack: stackName,
      failAt: checks.failAt,
      findings: findings.map((f) => ({
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
      rules: checks.rules.map((r) => ({ id: r.id, name: r.name, level: r.level, fix: r.fix })),
    },
    null,
    2,
  )}\n`;
}
