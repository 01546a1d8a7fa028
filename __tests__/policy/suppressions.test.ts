import { Construct } from 'constructs';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerPolicy, FindingStatus, ServiceContainer } from '../../lib';
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
