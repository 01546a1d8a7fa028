import { Construct } from 'constructs';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerPolicy, FindingStatus, IPolicyRule, PolicyLevel, ServiceContainer } from '../../lib';
import { newStack } from '../helpers';
import { COMPLIANT, check, stackWith } from './fixtures';

describe('DockerPolicy.suppress', () => {
  test('rejects a reason shorter than 10 characters, saying what to write', () => {
    const stack = stackWith();
    expect(() => DockerPolicy.suppress(stack, [{ id: 'DKR8', reason: 'legacy' }])).toThrow(
      'TerraformStack test: the suppression of DKR8 needs a reason of at least 10 characters that says why the ' +
        'finding is acceptable here, got "legacy"; write the reason into `reason`.',
    );
  });

  test('does not count surrounding blanks towards the 10 characters', () => {
    expect(() => DockerPolicy.suppress(stackWith(), [{ id: 'DKR8', reason: '   short    ' }])).toThrow(/at least 10 characters/);
  });

  test('rejects an empty appliesTo, which would accept nothing', () => {
    expect(() => DockerPolicy.suppress(stackWith(), [{ id: 'DKR8', appliesTo: [], reason: 'a batch job, limits come from the host' }])).toThrow(
      'TerraformStack test: the suppression of DKR8 has an empty `appliesTo`; name the findings it accepts, or leave `appliesTo` out to accept them all.',
    );
  });

  test('turns a finding into a suppressed one that carries the reason', () => {
    const stack = stackWith({ image: 'nginx:latest' });
    DockerPolicy.suppress(stack.node.findChild('app'), [{ id: 'DKR6', reason: 'the vendor publishes only latest' }]);
    const [finding] = check(stack).findings;
    expect([finding.ruleId, finding.status, finding.suppression?.reason]).toEqual(['DKR6', FindingStatus.SUPPRESSED, 'the vendor publishes only latest']);
  });

  test('keeps a suppressed finding out of the annotations', () => {
    const stack = stackWith({ image: 'nginx:latest' });
    DockerPolicy.suppress(stack, [{ id: 'DKR6', reason: 'the vendor publishes only latest' }]);
    expect(check(stack).annotations).toEqual([]);
  });

  test('with appliesTo accepts that one finding and leaves the others of the rule', () => {
    const stack = stackWith({ memory: undefined, cpuQuota: undefined });
    DockerPolicy.suppress(stack, [{ id: 'DKR8', appliesTo: ['memory'], reason: 'memory is capped by the host cgroup' }]);
    const findings = check(stack).findings;
    expect(findings.map((f) => [f.findingId, f.status])).toEqual([
      ['memory', FindingStatus.SUPPRESSED],
      ['cpu', FindingStatus.FAILED],
    ]);
  });

  test('with appliesTo does not accept a finding that concerns the whole container', () => {
    const stack = stackWith({ privileged: true });
    DockerPolicy.suppress(stack, [{ id: 'DKR1', appliesTo: ['app'], reason: 'this names no finding of DKR1' }]);
    expect(check(stack).findings.map((f) => f.status)).toEqual([FindingStatus.FAILED]);
  });

  test('of one rule leaves the findings of other rules', () => {
    const stack = stackWith({ privileged: true, image: 'nginx' });
    DockerPolicy.suppress(stack, [{ id: 'DKR6', reason: 'a throwaway sandbox image' }]);
    expect(check(stack).findings.filter((f) => f.status === FindingStatus.FAILED).map((f) => f.ruleId)).toEqual(['DKR1']);
  });

  test('on a parent construct applies to the containers inside it, not to their siblings', () => {
    const stack = newStack();
    const team = new Construct(stack, 'team');
    new Container(team, 'inside', { ...COMPLIANT, name: 'inside', privileged: true });
    new Container(stack, 'outside', { ...COMPLIANT, name: 'outside', privileged: true });
    DockerPolicy.suppress(team, [{ id: 'DKR1', reason: 'the team runs a nested engine for CI' }]);
    expect(check(stack).findings.map((f) => [f.container, f.status])).toEqual([
      ['inside', FindingStatus.SUPPRESSED],
      ['outside', FindingStatus.FAILED],
    ]);
  });

  test('on a ServiceContainer applies to its docker_container resource', () => {
    const stack = newStack();
    const app = new ServiceContainer(stack, 'app', { image: 'nginx' });
    DockerPolicy.suppress(app, [{ id: 'DKR6', reason: 'a throwaway sandbox image' }]);
    expect(check(stack).findings.find((f) => f.ruleId === 'DKR6')?.status).toBe(FindingStatus.SUPPRESSED);
  });
});

describe('suppressions checked at synth', () => {
  const acme: IPolicyRule = {
    id: 'ACME1',
    name: 'owner-label',
    level: PolicyLevel.WARNING,
    fix: 'add a label `owner`',
    evaluate: () => [],
  };

  test('one whose id is no rule of the pack fails the synth, naming the construct, the id, the rules and the fix', () => {
    const stack = stackWith();
    DockerPolicy.suppress(stack.node.findChild('app'), [{ id: 'DKR66', reason: 'a typo of the rule id' }]);
    expect(check(stack, { rules: [...DockerPolicy.RULES, acme] }).errors.map((a) => [a.path, a.message])).toEqual([
      [
        'test/app',
        '[POL3] a suppression on Container test/app names the rule DKR66, which the Docker policy pack of stack test does ' +
          'not have; its rules are DKR1, DKR2, DKR3, DKR4, DKR5, DKR6, DKR7, DKR8, DKR9, DKR10, DKR11, DKR12, DKR13, DKR14, ' +
          'DKR15, DKR16, ACME1. Use the id a finding shows (policy-report.md lists them), or remove the suppression.',
      ],
    ]);
  });

  test('one of a reachability id fails too, saying that flows are declared instead', () => {
    const stack = stackWith();
    DockerPolicy.suppress(stack, [{ id: 'REACH1', reason: 'the two may talk, it is fine' }]);
    expect(check(stack, { rules: [DockerPolicy.RULES[0]] }).errors.map((a) => a.message)).toEqual([
      '[POL3] a suppression on TerraformStack test names the rule REACH1, which the Docker policy pack of stack test does ' +
        'not have; its rules are DKR1. Use the id a finding shows (policy-report.md lists them), or remove the suppression. ' +
        'Reachability findings are not suppressed: declare the flow with Reachability.of(stack).allow(from, to), or ' +
        '.tolerate(from, to, reason).',
    ]);
  });

  test('one with an unknown id on the App fails the synth of each stack, on the stack', () => {
    const stack = stackWith();
    DockerPolicy.suppress(stack.node.root, [{ id: 'ACME9', reason: 'a rule the pack does not have' }]);
    expect(check(stack).errors.map((a) => [a.path, a.message.slice(0, 62)])).toEqual([
      ['test', '[POL3] a suppression on the App names the rule ACME9, which th'],
    ]);
  });

  test('one of a rule of the library that a narrowed pack does not run is only listed in the report', () => {
    const stack = stackWith();
    DockerPolicy.suppress(stack, [{ id: 'DKR6', reason: 'the vendor publishes only latest' }]);
    const result = check(stack, { rules: [DockerPolicy.RULES[0]] });
    expect([result.annotations, result.policyReport.includes('| DKR6 | test | all | 0 | rule-not-run | the vendor publishes only latest |')]).toEqual([
      [],
      true,
    ]);
  });

  test('one that accepts no finding is a warning on its construct', () => {
    const stack = stackWith();
    DockerPolicy.suppress(stack.node.findChild('app'), [{ id: 'DKR6', reason: 'the vendor publishes only latest' }]);
    expect(check(stack).annotations).toEqual([
      {
        path: 'test/app',
        level: 'warning',
        ruleId: 'POL4',
        message:
          '[POL4] the suppression of DKR6 on Container test/app accepts no finding: no DKR6 finding on it or inside it. ' +
          'Remove the suppression, or put it on the construct that the finding names (policy-report.md lists the findings).',
      },
    ]);
  });

  test('with failOnUnusedSuppressions, one that accepts no finding fails the synth', () => {
    const stack = stackWith();
    DockerPolicy.suppress(stack, [{ id: 'DKR6', reason: 'the vendor publishes only latest' }]);
    const result = check(stack, { failOnUnusedSuppressions: true });
    expect([result.ruleIds('error'), result.failingRuleIds()]).toEqual([['POL4'], ['POL4']]);
  });

  test('one whose appliesTo names only what no finding is about accepts nothing, and says what the findings are about', () => {
    expect(check(stackWithSuppression('swap')).annotations.find((a) => a.ruleId === 'POL4')!.message).toBe(
      '[POL4] the suppression of DKR8 on TerraformStack test accepts no finding: no DKR8 finding on it or inside it is ' +
        'about "swap" (its DKR8 findings there are about: memory, cpu). Remove the suppression, or put it on the ' +
        'construct that the finding names (policy-report.md lists the findings).',
    );
  });

  test('an appliesTo entry that matches nothing is reported, while the rest of the suppression is used', () => {
    const stack = stackWithSuppression('memory', 'swap');
    const result = check(stack);
    expect(result.annotations.filter((a) => a.ruleId === 'POL4').map((a) => a.message)).toEqual([
      '[POL4] the suppression of DKR8 on TerraformStack test names "swap" in appliesTo, which no DKR8 finding on it or ' +
        'inside it is about (its DKR8 findings there are about: memory, cpu). Remove "swap" from appliesTo.',
    ]);
    expect(result.policyReport).toContain('| DKR8 | test | memory, swap (matching nothing: swap) | 1 | used | memory is capped by the host cgroup |');
  });

  test('one object given to two constructs is checked on each: the one that accepts nothing is reported', () => {
    const stack = newStack();
    const one = new Container(stack, 'one', { ...COMPLIANT, name: 'one', image: 'nginx' });
    const two = new Container(stack, 'two', { ...COMPLIANT, name: 'two' });
    const latest = { id: 'DKR6', reason: 'the vendor publishes only latest' };
    DockerPolicy.suppress(one, [latest]);
    DockerPolicy.suppress(two, [latest]);
    expect(check(stack).annotations.map((a) => [a.ruleId, a.path])).toEqual([['POL4', 'test/two']]);
  });

  test('one on the App that accepts nothing in this stack is not reported: another stack may use it', () => {
    const stack = stackWith();
    DockerPolicy.suppress(stack.node.root, [{ id: 'DKR6', reason: 'the vendor publishes only latest' }]);
    expect(check(stack).annotations).toEqual([]);
  });
});

/** A stack whose container has no limits, with a DKR8 suppression on the stack for `appliesTo`. */
function stackWithSuppression(...appliesTo: string[]) {
  const stack = stackWith({ memory: undefined, cpuQuota: undefined });
  DockerPolicy.suppress(stack, [{ id: 'DKR8', appliesTo, reason: appliesTo.includes('memory') ? 'memory is capped by the host cgroup' : 'swap is capped by the host' }]);
  return stack;
}
