import * as fs from 'fs';
import * as path from 'path';
import * as cdktf from 'cdktf';
import * as constructs from 'constructs';
import { Construct } from 'constructs';
import { App, TerraformStack, Testing } from 'cdktf';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import * as lib from '../../lib';
import { DockerPolicy, PolicyLevel, PolicyTesting, ServiceContainer } from '../../lib';
import { COMPLIANT } from '../policy/fixtures';

/** The stack: `nginx:latest` on no network, made with the library's construct or the provider's own. */
function lateStack(scope: Construct, id: string, raw = false): TerraformStack {
  const stack = new TerraformStack(scope, id);
  new DockerProvider(stack, 'docker');
  if (raw) new Container(stack, 'web', { ...COMPLIANT, name: 'web', image: 'nginx:latest' });
  else new ServiceContainer(stack, 'web', { image: 'nginx:latest' });
  return stack;
}

/** What `app.synth()` threw, or '' when it passed. */
function synthError(app: App): string {
  try {
    app.synth();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('DockerPolicy.applyTo(app) covers every stack of the App at synth', () => {
  test('on an App with no stacks yet, a stack made after the call: app.synth() fails on nginx:latest and writes its reports', () => {
    const app = Testing.app();
    DockerPolicy.applyTo(app);
    lateStack(app, 'late');
    expect(synthError(app)).toMatch(/\[late\] \[POL1\] \d finding\(s\) at or above warning fail the synth of stack late: DKR6 on "web" \(late\/web\)/);
    expect(fs.readdirSync(path.join(app.outdir, 'stacks', 'late')).sort()).toEqual(['policy-report.json', 'policy-report.md', 'reachability.md']);
  });

  test('a stack made after the call with only the provider\'s resources: app.synth() checks it', () => {
    const app = Testing.app();
    DockerPolicy.applyTo(app);
    lateStack(app, 'late', true);
    expect(synthError(app)).toMatch(/\[POL1\] 1 finding\(s\) at or above warning fail the synth of stack late: DKR6 on "web" \(late\/web\)/);
  });

  test('a stack inside a nested construct (App -> Construct -> Stack), made after the call', () => {
    const app = Testing.app();
    DockerPolicy.applyTo(app);
    lateStack(new Construct(app, 'team'), 'late', true);
    expect(synthError(app)).toMatch(/\[team\/late\] \[POL1\] 1 finding\(s\)/);
  });

  test('a stack inside a nested construct that exists at the call', () => {
    const app = Testing.app();
    const stack = lateStack(new Construct(app, 'team'), 'early', true);
    DockerPolicy.applyTo(app);
    expect(PolicyTesting.synth(stack).failingRuleIds()).toEqual(['DKR6']);
  });

  test('a later stack with a construct of the library is checked by Testing.synth and fails Testing.fullSynth', () => {
    const app = Testing.app();
    DockerPolicy.applyTo(app);
    const stack = lateStack(app, 'late');
    Testing.synth(stack);
    expect(PolicyTesting.annotations(stack).map((a) => a.ruleId)).toContain('DKR6');
    expect(() => Testing.fullSynth(stack)).toThrow(/\[POL1\] \d finding\(s\) at or above warning fail the synth of stack late/);
  });

  test('a later stack with only the provider\'s resources is checked by PolicyTesting.synth', () => {
    const app = Testing.app();
    DockerPolicy.applyTo(app);
    expect(PolicyTesting.synth(lateStack(app, 'late', true)).failingRuleIds()).toEqual(['DKR6']);
  });

  test('gives later stacks the same props', () => {
    const app = Testing.app();
    DockerPolicy.applyTo(app, { failAt: PolicyLevel.ERROR });
    const stack = lateStack(app, 'late');
    expect([synthError(app), DockerPolicy.of(stack)?.failAt]).toEqual(['', PolicyLevel.ERROR]);
  });

  test('a stack that applies the pack itself keeps its own props, whether it does so before or after its constructs', () => {
    class SelfChecked extends TerraformStack {
      constructor(scope: Construct, id: string, before: boolean) {
        super(scope, id);
        new DockerProvider(this, 'docker');
        if (before) DockerPolicy.applyTo(this, { failAt: PolicyLevel.ERROR });
        new ServiceContainer(this, 'web', { image: 'nginx:latest' });
        if (!before) DockerPolicy.applyTo(this, { failAt: PolicyLevel.ERROR });
      }
    }
    const app = Testing.app();
    DockerPolicy.applyTo(app);
    const stacks = [new SelfChecked(app, 'before', true), new SelfChecked(app, 'after', false)];
    expect([synthError(app), ...stacks.map((s) => DockerPolicy.of(s)?.failAt)]).toEqual(['', PolicyLevel.ERROR, PolicyLevel.ERROR]);
  });

  test('a stack that existed at the call may still apply the pack with its own props', () => {
    const app = Testing.app();
    const stack = lateStack(app, 'early');
    DockerPolicy.applyTo(app);
    DockerPolicy.applyTo(stack, { failAt: PolicyLevel.ERROR });
    expect(PolicyTesting.synth(stack).failingRuleIds()).toEqual([]);
  });

  test('twice on one App is rejected', () => {
    const app = Testing.app();
    DockerPolicy.applyTo(app);
    expect(() => DockerPolicy.applyTo(app)).toThrow(
      'DockerPolicy.applyTo(app): the App already has the Docker policy pack applied; apply it once per App.',
    );
  });

  test('to a construct that is neither an App nor in a stack is rejected, naming the fix', () => {
    const team = new Construct(Testing.app(), 'team');
    expect(() => DockerPolicy.applyTo(team)).toThrow(
      'Construct team: is neither an App nor inside a stack; apply the policy to the App (every stack in it, nested ones too) or to each stack.',
    );
  });
});

describe('DockerPolicy.applyTo(app) with two copies of the library in one process', () => {
  test("a later stack with a construct of the other copy gets the App's pack", () => {
    let other: typeof lib | undefined;
    jest.isolateModules(() => {
      jest.doMock('cdktf', () => cdktf);
      jest.doMock('constructs', () => constructs);
      other = require('../../lib');
    });
    const app = Testing.app();
    DockerPolicy.applyTo(app);
    const stack = new TerraformStack(app, 'late');
    new DockerProvider(stack, 'docker');
    new other!.ServiceContainer(stack, 'web', { image: 'nginx:latest' });
    Testing.synth(stack);
    expect(PolicyTesting.annotations(stack).filter((a) => a.ruleId === 'DKR6').length).toBe(1);
  });
});

describe('every synth checks an applied stack', () => {
  function appliedStack(): TerraformStack {
    const stack = lateStack(Testing.app(), 'checked');
    DockerPolicy.applyTo(stack);
    return stack;
  }

  test('Testing.synth runs the pack in its aspect', () => {
    const stack = appliedStack();
    Testing.synth(stack);
    expect(PolicyTesting.annotations(stack).filter((a) => a.ruleId === 'DKR6').map((a) => a.level)).toEqual(['warning']);
  });

  test('Testing.fullSynth fails', () => {
    expect(() => Testing.fullSynth(appliedStack())).toThrow(/\[POL1\] \d finding\(s\) at or above warning/);
  });

  test('app.synth() fails', () => {
    expect(synthError(appliedStack().node.root as App)).toMatch(/\[POL1\] \d finding\(s\) at or above warning/);
  });
});

describe('a stack of another App than the one the pack is applied to', () => {
  test('gets a warning at synth that no pack checks it', () => {
    DockerPolicy.applyTo(Testing.app());
    const other = lateStack(Testing.app(), 'other');
    Testing.synth(other, true);
    expect(PolicyTesting.annotations(other)).toEqual([
      {
        path: 'other',
        level: 'warning',
        ruleId: 'POL5',
        message:
          '[POL5] the Docker policy pack checks no container of stack other: it is applied in this process, but not to ' +
          "this stack's App nor to any stack of it. Apply it here: DockerPolicy.applyTo(app) for every stack of the App, " +
          'or DockerPolicy.applyTo(stack).',
      },
    ]);
  });

  test('gets no warning when its App has the pack on another stack: that is a choice per stack', () => {
    DockerPolicy.applyTo(Testing.app());
    const app = Testing.app();
    DockerPolicy.applyTo(lateStack(app, 'checked'));
    const unchecked = lateStack(app, 'unchecked');
    Testing.synth(unchecked, true);
    expect(PolicyTesting.annotations(unchecked)).toEqual([]);
  });
});
