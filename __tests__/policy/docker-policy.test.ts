import * as fs from 'fs';
import * as path from 'path';
import { Aspects, TerraformStack, Testing } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerPolicy, DockerPolicyChecks, IPolicyRule, PolicyLevel, PolicyTesting } from '../../lib';
import { newStack } from '../helpers';
import { COMPLIANT, check, stackWith } from './fixtures';

describe('levels and annotations', () => {
  test('an unsuppressed warning fails at the default level: a warning annotation, and one error annotation on the stack', () => {
    const result = check(stackWith({ image: 'nginx' }));
    expect([result.ruleIds('warning'), result.errors.map((a) => [a.ruleId, a.path]), result.failingRuleIds()]).toEqual([
      ['DKR6'],
      [['POL1', 'test']],
      ['DKR6'],
    ]);
  });

  test('the message names the rule, the level, the container, the value, the fix and how to accept it', () => {
    const annotation = check(stackWith({ image: 'nginx' })).annotations.find((a) => a.ruleId === 'DKR6')!;
    expect(annotation.message).toBe(
      '[DKR6] unpinned-image (warning) on container "app": the image nginx is not tagged, so what runs can change on ' +
        'any pull. Fix: pin a version tag (`redis:7.4-alpine`) or a digest (`redis@sha256:...`). Or accept it on the construct ' +
        "test/app: DockerPolicy.suppress(<that construct>, [{ id: 'DKR6', appliesTo: ['nginx'], reason: '<why it is acceptable here>' }]).",
    );
  });

  test('the annotation sits on the docker_container resource', () => {
    expect(check(stackWith({ image: 'nginx' })).annotations.find((a) => a.ruleId === 'DKR6')!.path).toBe('test/app');
  });

  test('the error annotation on the stack says how many findings fail it, which, where, and how to fix or accept them', () => {
    const stack = stackWith({ image: 'nginx', memory: undefined, cpuQuota: undefined });
    expect(check(stack).errors.map((a) => a.message)).toEqual([
      '[POL1] 3 finding(s) at or above warning fail the synth of stack test: DKR6 on "app" (test/app), DKR8 (2) on "app" ' +
        '(test/app). Fix each (policy-report.md beside the stack gives the fix of every finding), or accept it on its ' +
        "construct with a reason: DockerPolicy.suppress(construct, [{ id: '<rule id>', reason: '<why it is acceptable here>' }]).",
    ]);
  });

  test('the error annotation on the stack names 10 rule and container pairs, then counts the rest', () => {
    const stack = newStack();
    for (let i = 0; i < 12; i++) new Container(stack, `c${i}`, { ...COMPLIANT, name: `c${i}`, image: 'nginx' });
    const message = check(stack).errors[0].message;
    expect([message.startsWith('[POL1] 12 finding(s)'), message.includes('DKR6 on "c9" (test/c9), and 2 more. Fix each')]).toEqual([true, true]);
  });

  test('a full synth that fails on a warning says why in its error: the count, the rule and the container', () => {
    const stack = stackWith({ image: 'nginx' });
    DockerPolicy.applyTo(stack);
    expect(() => Testing.fullSynth(stack)).toThrow(/\[test\] \[POL1\] 1 finding\(s\) at or above warning fail the synth of stack test: DKR6 on "app" \(test\/app\)\./);
  });

  test('with failAt ERROR a warning finding stays a warning annotation and nothing fails', () => {
    const result = check(stackWith({ image: 'nginx' }), { failAt: PolicyLevel.ERROR });
    expect([result.errors, result.ruleIds('warning'), result.failingRuleIds()]).toEqual([[], ['DKR6'], []]);
  });

  test('info findings below failAt are summed up in one info annotation on the stack, a count per rule', () => {
    const stack = newStack();
    new Container(stack, 'one', { ...COMPLIANT, name: 'one', readOnly: undefined, healthcheck: undefined });
    new Container(stack, 'two', { ...COMPLIANT, name: 'two', readOnly: undefined });
    expect(check(stack).annotations).toEqual([
      {
        path: 'test',
        level: 'info',
        ruleId: 'POL2',
        message:
          '[POL2] 3 info finding(s) below failAt warning, reported only: DKR7 (1), DKR9 (2). policy-report.md beside the ' +
          'stack lists them; to print each here, set listInfoFindings: true in DockerPolicy.applyTo, or DOCKER_POLICY_LIST_INFO=1.',
      },
    ]);
  });

  test('listInfoFindings annotates each info finding on its container instead', () => {
    const result = check(stackWith({ readOnly: undefined, healthcheck: undefined }), { listInfoFindings: true });
    expect(result.annotations.map((a) => [a.ruleId, a.level, a.path])).toEqual([
      ['DKR7', 'info', 'test/app'],
      ['DKR9', 'info', 'test/app'],
    ]);
  });

  test.each(['1', 'true'])('DOCKER_POLICY_LIST_INFO=%s lists them without a code change', (value) => {
    process.env.DOCKER_POLICY_LIST_INFO = value;
    try {
      expect(check(stackWith({ readOnly: undefined })).ruleIds()).toEqual(['DKR9']);
    } finally {
      delete process.env.DOCKER_POLICY_LIST_INFO;
    }
  });

  test('with failAt INFO an info finding fails too: its annotation stays at its level, the stack has the error', () => {
    const result = check(stackWith({ readOnly: undefined }), { failAt: PolicyLevel.INFO });
    expect([result.ruleIds('info'), result.ruleIds('error'), result.failingRuleIds()]).toEqual([['DKR9'], ['POL1'], ['DKR9']]);
  });

  test('an error finding fails even with failAt ERROR', () => {
    const result = check(stackWith({ privileged: true }), { failAt: PolicyLevel.ERROR });
    expect([result.ruleIds('error'), result.failingRuleIds()]).toEqual([['POL1', 'DKR1'], ['DKR1']]);
  });

  test('a second synth adds no second annotation', () => {
    const stack = stackWith({ image: 'nginx' });
    DockerPolicy.applyTo(stack);
    Testing.synth(stack);
    expect(PolicyTesting.synth(stack).annotations.map((a) => a.ruleId)).toEqual(['POL1', 'DKR6']);
  });

  test('a rule of your own runs beside the pack and is suppressed like the others', () => {
    const noLabels: IPolicyRule = {
      id: 'ACME1',
      name: 'owner-label',
      level: PolicyLevel.WARNING,
      fix: 'add a label `owner`',
      evaluate: (c) => (JSON.stringify(c.config.labels ?? []).includes('"owner"') ? [] : [{ problem: 'the container has no owner label' }]),
    };
    const stack = stackWith();
    DockerPolicy.suppress(stack.node.findChild('app'), [{ id: 'ACME1', reason: 'owned by the platform team' }]);
    expect(check(stack, { rules: [...DockerPolicy.RULES, noLabels] }).findings.map((f) => [f.ruleId, f.status])).toEqual([
      ['ACME1', 'suppressed'],
    ]);
  });

  test('two rules with one id are rejected: ids must identify findings', () => {
    expect(() => new DockerPolicyChecks({ rules: [DockerPolicy.RULES[0], DockerPolicy.RULES[0]] })).toThrow(
      'DockerPolicyChecks: two rules have the id DKR1; give each rule a unique id.',
    );
  });

  test('the rules can be narrowed to a subset', () => {
    expect(check(stackWith({ image: 'nginx', privileged: true }), { rules: [DockerPolicy.RULES[0]] }).failingRuleIds()).toEqual(['DKR1']);
  });
});

describe('applying the pack', () => {
  test('as a plain aspect works like applyTo, without the reports', () => {
    const stack = stackWith({ privileged: true });
    Aspects.of(stack).add(new DockerPolicyChecks());
    expect(PolicyTesting.synth(stack).ruleIds('error')).toEqual(['DKR1']);
  });

  test('as a plain aspect, a full synth fails on a warning finding: the stack is summed up in a validation', () => {
    const stack = stackWith({ image: 'nginx' });
    Aspects.of(stack).add(new DockerPolicyChecks());
    expect(() => Testing.fullSynth(stack)).toThrow(/\[POL1\] 1 finding\(s\) at or above warning fail the synth of stack test: DKR6 on "app"/);
  });

  test('as a plain aspect under Testing.synth, summarize adds the stack-wide annotations', () => {
    const stack = stackWith({ image: 'nginx' });
    const checks = new DockerPolicyChecks();
    Aspects.of(stack).add(checks);
    Testing.synth(stack);
    checks.summarize(stack);
    expect(PolicyTesting.annotations(stack).map((a) => a.ruleId)).toEqual(['POL1', 'DKR6']);
  });

  test('twice on one stack is rejected', () => {
    const stack = newStack();
    DockerPolicy.applyTo(stack);
    expect(() => DockerPolicy.applyTo(stack)).toThrow(
      'TerraformStack test: already has the Docker policy pack applied; apply it once per stack.',
    );
  });

  test('to a construct that is not a stack is rejected, naming the fix', () => {
    const stack = stackWith();
    expect(() => DockerPolicy.applyTo(stack.node.findChild('app'))).toThrow(
      'Container test/app: is not a stack; apply the policy to its stack: DockerPolicy.applyTo(TerraformStack.of(scope)).',
    );
  });

  test('to an App applies it to each of its stacks', () => {
    const app = Testing.app();
    const stacks = ['one', 'two'].map((id) => {
      const stack = new TerraformStack(app, id);
      new DockerProvider(stack, 'docker');
      return stackWith({ privileged: true }, stack);
    });
    DockerPolicy.applyTo(app);
    expect(stacks.map((s) => PolicyTesting.synth(s).failingRuleIds())).toEqual([['DKR1'], ['DKR1']]);
  });

  test('makes a full synth fail on an error finding', () => {
    const stack = stackWith({ privileged: true });
    DockerPolicy.applyTo(stack);
    expect(() => Testing.fullSynth(stack)).toThrow(/\[DKR1\] privileged \(error\) on container "app"/);
  });
});

describe('report files', () => {
  function synthToDir(stack: TerraformStack): string {
    const outdir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'policy-'));
    const { Manifest } = require('cdktf/lib/manifest');
    const manifest = new Manifest('stubbed', outdir, false);
    try {
      stack.synthesizer.synthesize({ outdir, manifest });
    } catch {
      // error annotations: the reports must be there anyway
    }
    return path.join(outdir, 'stacks', stack.node.id);
  }

  test('are written beside the synthesized stack', () => {
    const stack = stackWith();
    DockerPolicy.applyTo(stack);
    expect(fs.readdirSync(synthToDir(stack)).sort()).toEqual(['cdk.tf.json', 'policy-report.json', 'policy-report.md', 'reachability.md']);
  });

  test('are written also when the synth fails on a finding', () => {
    const stack = stackWith({ privileged: true });
    DockerPolicy.applyTo(stack);
    const dir = synthToDir(stack);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'policy-report.json'), 'utf8')).findings[0].ruleId).toBe('DKR1');
  });

  test('policy-report.md has a row a finding with the rule, level, container, finding, status, problem and fix', () => {
    const stack = stackWith({ memory: undefined });
    expect(check(stack).policyReport.split('\n').slice(0, 7)).toEqual([
      '# Docker policy report: stack test',
      '',
      'Fails at: warning. Findings: 1 (1 failed, 0 reported, 0 suppressed).',
      '',
      '| rule | level | container | finding | status | problem | fix or reason |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| DKR8 no-resource-limits | warning | app | memory | failed | the container has no memory limit | set `memoryLimit` and `cpuLimit` (provider: `memory`, and `cpu_quota` with `cpu_period`: `cpus` crashes provider 3.6.2) |',
    ]);
  });

  test('policy-report.md shows the reason of a suppressed finding', () => {
    const stack = stackWith({ memory: undefined });
    DockerPolicy.suppress(stack, [{ id: 'DKR8', reason: 'memory is capped by the host cgroup' }]);
    expect(check(stack).policyReport).toContain('| suppressed | the container has no memory limit | suppressed: memory is capped by the host cgroup |');
  });

  test('policy-report.json lists each finding with its fields', () => {
    const stack = stackWith({ memory: undefined });
    DockerPolicy.applyTo(stack);
    const json = JSON.parse(fs.readFileSync(path.join(synthToDir(stack), 'policy-report.json'), 'utf8'));
    expect(json.findings).toEqual([
      {
        ruleId: 'DKR8',
        ruleName: 'no-resource-limits',
        level: 'warning',
        status: 'failed',
        container: 'app',
        path: 'test/app',
        findingId: 'memory',
        problem: 'the container has no memory limit',
        fix: 'set `memoryLimit` and `cpuLimit` (provider: `memory`, and `cpu_quota` with `cpu_period`: `cpus` crashes provider 3.6.2)',
      },
    ]);
  });
});
