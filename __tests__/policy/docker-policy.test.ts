import * as fs from 'fs';
import * as path from 'path';
import { Aspects, TerraformStack, Testing } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { DockerPolicy, DockerPolicyChecks, IPolicyRule, PolicyLevel, PolicyTesting } from '../../lib';
import { newStack } from '../helpers';
import { check, stackWith } from './fixtures';

describe('levels and annotations', () => {
  test('an unsuppressed warning fails at the default level: it becomes an error annotation', () => {
    const result = check(stackWith({ image: 'nginx' }));
    expect(result.errors.map((a) => a.ruleId)).toEqual(['DKR6']);
  });

  test('the message names the rule, the level, the container, the value, the fix and how to accept it', () => {
    const [annotation] = check(stackWith({ image: 'nginx' })).errors;
    expect(annotation.message).toBe(
      '[DKR6] unpinned-image (warning) on container "app": the image nginx is not tagged, so what runs can change on ' +
        'any pull. Fix: pin a version tag (`redis:7.4-alpine`) or a digest (`redis@sha256:...`). Or accept it on the construct ' +
        "test/app: DockerPolicy.suppress(<that construct>, [{ id: 'DKR6', appliesTo: ['nginx'], reason: '<why it is acceptable here>' }]).",
    );
  });

  test('the annotation sits on the docker_container resource', () => {
    expect(check(stackWith({ image: 'nginx' })).errors[0].path).toBe('test/app');
  });

  test('with failAt ERROR a warning finding stays a warning annotation', () => {
    const result = check(stackWith({ image: 'nginx' }), { failAt: PolicyLevel.ERROR });
    expect([result.errors, result.ruleIds('warning')]).toEqual([[], ['DKR6']]);
  });

  test('an info finding is an info annotation at the default level', () => {
    expect(check(stackWith({ readOnly: undefined })).ruleIds('info')).toEqual(['DKR9']);
  });

  test('with failAt INFO an info finding fails too', () => {
    expect(check(stackWith({ readOnly: undefined }), { failAt: PolicyLevel.INFO }).ruleIds('error')).toEqual(['DKR9']);
  });

  test('an error finding fails even with failAt ERROR', () => {
    expect(check(stackWith({ privileged: true }), { failAt: PolicyLevel.ERROR }).ruleIds('error')).toEqual(['DKR1']);
  });

  test('a second synth adds no second annotation', () => {
    const stack = stackWith({ image: 'nginx' });
    DockerPolicy.applyTo(stack);
    Testing.synth(stack);
    expect(PolicyTesting.synth(stack).errors).toHaveLength(1);
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
    expect(check(stackWith({ image: 'nginx', privileged: true }), { rules: [DockerPolicy.RULES[0]] }).ruleIds()).toEqual(['DKR1']);
  });
});

describe('applying the pack', () => {
  test('as a plain aspect works like applyTo, without the reports', () => {
    const stack = stackWith({ privileged: true });
    Aspects.of(stack).add(new DockerPolicyChecks());
    expect(PolicyTesting.synth(stack).ruleIds('error')).toEqual(['DKR1']);
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
    expect(stacks.map((s) => PolicyTesting.synth(s).ruleIds('error'))).toEqual([['DKR1'], ['DKR1']]);
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
