import * as fs from 'fs';
import * as path from 'path';
import { IConstruct } from 'constructs';
import { Aspects, IAspect, ISynthesisSession, IStackSynthesizer, TerraformStack, Testing } from 'cdktf';
import { Container } from '@cdktf/provider-docker/lib/container';
import { StackSynthesizer } from 'cdktf/lib/synthesize/synthesizer';
import {
  Capability,
  DockerPolicy,
  DockerPolicyChecks,
  Healthcheck,
  Network,
  PolicyTesting,
  Reachability,
  ServiceContainer,
  ServiceContainerProps,
  Size,
  StackModel,
} from '../../lib';
import { newStack } from '../helpers';
import { COMPLIANT as RAW_COMPLIANT, stackWith } from '../policy/fixtures';

/** What every rule of the pack asks for. */
const COMPLIANT: Omit<ServiceContainerProps, 'networks'> = {
  image: 'nginx:1.27',
  healthcheck: Healthcheck.command(['true']),
  memoryLimit: Size.mebibytes(64),
  cpuLimit: 0.5,
  readOnlyRootFilesystem: true,
  capabilities: { drop: [Capability.ALL] },
};

/** Two compliant containers on one network with a declared flow. */
function checkedStack(): TerraformStack {
  const stack = newStack();
  const net = new Network(stack, 'net', { name: 'app-network' });
  const a = new ServiceContainer(stack, 'aa', { ...COMPLIANT, networks: [{ network: net }] });
  const b = new ServiceContainer(stack, 'bb', { ...COMPLIANT, networks: [{ network: net }] });
  Reachability.of(stack).allow(a, b);
  return stack;
}

function writtenStack(stack: TerraformStack): Record<string, unknown> {
  const outdir = Testing.fullSynth(stack);
  return JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8'));
}

/** An aspect of the user's, added after the pack, that makes every docker_container privileged. */
class MakePrivileged implements IAspect {
  public visit(node: IConstruct): void {
    if (node instanceof Container) node.privileged = true;
  }
}

/** An aspect of the user's, added after the pack, that adds a privileged container to the stack it visits. */
class AddPrivileged implements IAspect {
  public visit(node: IConstruct): void {
    if (TerraformStack.isStack(node) && !node.node.tryFindChild('added')) {
      new Container(node, 'added', { ...RAW_COMPLIANT, name: 'added', privileged: true });
    }
  }
}

describe('checks once the tree is final (FinalSynth)', () => {
  test('a full synth resolves the stack once, for the checks, both reports and cdk.tf.json', () => {
    const stack = checkedStack();
    DockerPolicy.applyTo(stack);
    const resolves = jest.spyOn(TerraformStack.prototype, 'toTerraform');
    const builds = jest.spyOn(StackModel, 'build');
    try {
      writtenStack(stack);
      expect([resolves.mock.calls.length, builds.mock.calls.length]).toEqual([1, 0]);
    } finally {
      resolves.mockRestore();
      builds.mockRestore();
    }
  });

  test('the reachability analysis is done once a synth, for the intent check and the report', () => {
    const stack = checkedStack();
    DockerPolicy.applyTo(stack);
    // Each analysis (a ReachablePairs) lists the model's networks once, when it is built.
    const analyses = jest.spyOn(StackModel.prototype, 'networkKeys', 'get');
    try {
      writtenStack(stack);
      expect(analyses).toHaveBeenCalledTimes(1);
    } finally {
      analyses.mockRestore();
    }
  });

  test('cdk.tf.json is the same with and without the checks', () => {
    const checked = checkedStack();
    DockerPolicy.applyTo(checked);
    expect(writtenStack(checked)).toEqual(writtenStack(checkedStack()));
  });

  test('the pack sees what an aspect added after it changed: the synth fails on the privileged container', () => {
    const stack = stackWith();
    DockerPolicy.applyTo(stack);
    Aspects.of(stack).add(new MakePrivileged());
    expect(() => Testing.fullSynth(stack)).toThrow(/\[DKR1\] privileged \(error\) on container "app"/);
  });

  test('the pack checks a container that an aspect added after it makes: a full synth fails on it', () => {
    const stack = stackWith();
    DockerPolicy.applyTo(stack);
    Aspects.of(stack).add(new AddPrivileged());
    expect(() => Testing.fullSynth(stack)).toThrow(/\[DKR1\] privileged \(error\) on container "added"/);
  });

  test('the pack checks a container that an aspect added after it makes, under Testing.synth too', () => {
    const stack = stackWith();
    DockerPolicy.applyTo(stack);
    Aspects.of(stack).add(new AddPrivileged());
    expect(PolicyTesting.synth(stack).findings.map((f) => [f.ruleId, f.container])).toEqual([['DKR1', 'added']]);
  });

  test('the reachability check reads the final tree too: an aspect attaching a container without a flow fails the synth', () => {
    const stack = checkedStack();
    const cc = new ServiceContainer(stack, 'cc', { ...COMPLIANT, networks: [] });
    DockerPolicy.applyTo(stack);
    Reachability.of(stack).enforceEverywhere();
    Aspects.of(stack).add({
      visit: (node) => {
        if (node === cc.resource) cc.resource.addOverride('networks_advanced', [{ name: 'app-network' }]);
      },
    });
    expect(() => Testing.fullSynth(stack)).toThrow(/\[REACH1\] aa and cc can reach each other over network app-network/);
  });

  test("a full synth leaves the checks' aspects out of cdktf's walk and puts them back; Testing.synth still runs them", () => {
    const stack = checkedStack();
    DockerPolicy.applyTo(stack);
    const user: IAspect = { visit: () => undefined };
    Aspects.of(stack).add(user);
    const aspects = Aspects.of(stack).all;
    const visits = [jest.spyOn(DockerPolicyChecks.prototype, 'visit'), jest.spyOn(Reachability.prototype, 'visit')];
    const userVisits = jest.spyOn(user, 'visit');
    try {
      writtenStack(stack);
      expect(visits.map((v) => v.mock.calls.length)).toEqual([0, 0]);
      expect(userVisits).toHaveBeenCalled();
      expect(Aspects.of(stack).all).toEqual(aspects);
      Testing.synth(stack);
      expect(visits.every((v) => v.mock.calls.length > 0)).toBe(true);
    } finally {
      visits.forEach((v) => v.mockRestore());
    }
  });

  test('a stack with a synthesizer of its own keeps it, and its checks run in their aspects', () => {
    class OwnSynthesizer implements IStackSynthesizer {
      public calls = 0;
      constructor(private readonly stack: TerraformStack) {}
      public synthesize(session: ISynthesisSession): void {
        this.calls++;
        new StackSynthesizer(this.stack).synthesize(session);
      }
    }
    const stack = stackWith({ privileged: true });
    const own = new OwnSynthesizer(stack);
    stack.synthesizer = own;
    DockerPolicy.applyTo(stack);
    expect(stack.synthesizer).toBe(own);
    expect(() => Testing.fullSynth(stack)).toThrow(/\[DKR1\] privileged \(error\) on container "app"/);
    expect(own.calls).toBe(1);
  });

  test('a second full synth checks and writes again, and the stack resolves normally afterwards', () => {
    const stack = checkedStack();
    DockerPolicy.applyTo(stack);
    const first = writtenStack(stack);
    expect(writtenStack(stack)).toEqual(first);
    expect(Object.prototype.hasOwnProperty.call(stack, 'toTerraform')).toBe(false);
    expect(stack.toTerraform()).toEqual(first);
  });
});
