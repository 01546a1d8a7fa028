/**
 * A rule of your own takes the pure model as its second parameter (`DockerModel`), which a stack's model
 * (`StackModel`) is: it runs at synth on the stack and in a review on the model of a plan, with no construct.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ContainerModel, DockerModel, DockerPolicy, IPolicyRule, PlanSide, PolicyLevel, StackModel } from '../../lib';
import { check, stackWith } from './fixtures';

/** ACME2: a container alone on its networks; written, as before the pure model, against StackModel. */
const alone: IPolicyRule = {
  id: 'ACME2',
  name: 'alone',
  level: PolicyLevel.WARNING,
  fix: 'share a network with a peer',
  evaluate: (c: ContainerModel, stack: StackModel) =>
    c.networks.every((n) => stack.containersOn(n.key).length === 1) ? [{ problem: `${c.name} shares no network` }] : [],
};

describe('a rule of your own', () => {
  test('written against StackModel, it still runs in the pack at synth', () => {
    expect(check(stackWith(), { rules: [...DockerPolicy.RULES, alone] }).findings.map((f) => [f.ruleId, f.problem])).toEqual([
      ['ACME2', 'app shares no network'],
    ]);
  });

  test('runs on the model of a plan, where no container has a construct', () => {
    const plan = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'ops', 'review', 'fixtures', 'connect.plan.json'), 'utf8'));
    const model = DockerModel.fromPlan(plan, PlanSide.BEFORE);
    expect(model.containers.map((c) => [c.name, c.resource, alone.evaluate(c, model)])).toEqual([
      ['e2e-chg-app', undefined, [{ problem: 'e2e-chg-app shares no network' }]],
      ['e2e-chg-probe', undefined, [{ problem: 'e2e-chg-probe shares no network' }]],
    ]);
  });
});
