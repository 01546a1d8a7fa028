/**
 * The identity of every resource the app makes: Terraform address and Docker name, per layout. Renaming a construct
 * id or a Docker name replaces the real resource (a new db volume loses the votes), so a change here must be
 * deliberate: review the diff of fixtures/identity.json, then write it with UPDATE_GOLDEN=1.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { Testing } from 'cdktf';
import { DockerNames, Orchestrator, PublishMode, Segmentation, VotingApp, VotingAppProps } from '../../lib';
import { newStack } from '../helpers';

const GOLDEN = path.join(__dirname, 'fixtures', 'identity.json');

const variants: Record<string, VotingAppProps> = {
  'containers, shared backend': {},
  'containers, strict': { segmentation: Segmentation.STRICT },
  'swarm, ingress': { orchestrator: Orchestrator.SWARM },
  'swarm, host mode': { orchestrator: Orchestrator.SWARM, publishMode: PublishMode.HOST },
};

/** `docker_network.app_frontend_0F6B3A2C = frontend-network`, and the names of variables and outputs. */
function identity(props: VotingAppProps, prefixed: boolean): string[] {
  const stack = newStack();
  const scope = prefixed ? new Construct(stack, 'shop') : stack;
  if (prefixed) DockerNames.prefix(scope);
  new VotingApp(scope, 'app', { ...props, namePrefix: prefixed ? 'team-a-' : undefined });
  const json = JSON.parse(Testing.synth(stack));
  const resources = Object.entries<Record<string, any>>(json.resource).flatMap(([type, byId]) =>
    Object.entries(byId).map(([logicalId, resource]) => `${type}.${logicalId} = ${resource.name}`),
  );
  const named = (block: string) => Object.keys(json[block] ?? {}).map((logicalId) => `${block}.${logicalId}`);
  return [...resources, ...named('variable'), ...named('output')].sort();
}

describe('VotingApp keeps the Terraform address and Docker name of every resource', () => {
  const actual = Object.fromEntries(
    Object.entries(variants).flatMap(([name, props]) => [
      [name, identity(props, false)],
      [`${name}, prefixed`, identity(props, true)],
    ]),
  );
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(GOLDEN, `${JSON.stringify(actual, null, 2)}\n`);
  const golden = JSON.parse(fs.readFileSync(GOLDEN, 'utf8'));

  test.each(Object.keys(actual))('%s', (name) => {
    expect(actual[name]).toEqual(golden[name]);
  });

  test('the golden file has no variant the test no longer makes', () => {
    expect(Object.keys(golden).sort()).toEqual(Object.keys(actual).sort());
  });
});
