import { Container } from '@cdktf/provider-docker/lib/container';
import { PolicyTesting, Reachability } from '../../lib';
import { newStack } from '../helpers';
import { COMPLIANT, check, stackWith } from '../policy/fixtures';

describe('PolicyCheckResult', () => {
  /** An unpinned image (a warning that fails the synth) beside a peer it reaches with no declared flow (REACH1). */
  function failing() {
    const stack = stackWith({ image: 'nginx' });
    new Container(stack, 'peer', { ...COMPLIANT, name: 'peer' });
    Reachability.of(stack).enforceEverywhere();
    return check(stack);
  }

  test('ruleIds(level) reads the annotations at that level: a failing warning is a warning, the stack has the error', () => {
    const result = failing();
    expect([result.ruleIds('error'), result.ruleIds('warning')]).toEqual([
      ['POL1', 'REACH1'],
      ['DKR6'],
    ]);
  });

  test('failingRuleIds lists what fails the synth: the failing findings whatever their level, then the other errors', () => {
    expect(failing().failingRuleIds()).toEqual(['DKR6', 'REACH1']);
  });

  test('failingRuleIds is empty when the synth passes', () => {
    expect(PolicyTesting.synth(newStack()).failingRuleIds()).toEqual([]);
  });
});
