/**
 * ops/main-job/reconcile.ts reads what the stack declares and what the state holds through the library's model; the
 * engine's side needs Docker and is covered by the faults suite (__tests__/e2e/faults.e2e.test.ts).
 */
import { Testing } from 'cdktf';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerModel, Network } from '../../../lib';
import { stateObjectsOf, wantedNames } from '../../../ops/main-job/reconcile';
import { PUBLIC_IMAGES } from '../../../stacks/images';
import { VotingAppStack } from '../../../stacks/voting-app';
import { newStack } from '../../helpers';

describe('reconcile', () => {
  test('wants the containers, networks and volumes the stack declares by name', () => {
    const document = JSON.parse(Testing.synth(new VotingAppStack(Testing.app(), 'voting-app', { images: PUBLIC_IMAGES })));
    expect([...wantedNames(DockerModel.fromDocument(document))].sort()).toEqual([
      'container db',
      'container redis',
      'container result',
      'container vote',
      'container worker',
      'network backend-network',
      'network frontend-network',
      'volume db-data',
    ]);
  });

  test('wants neither a network the stack only reads nor a name known only at apply time', () => {
    const stack = newStack();
    const shared = Network.fromName(stack, 'shared', 'shared-network');
    new Container(stack, 'app', { name: '${var.name}', image: 'nginx:1.27', networksAdvanced: [{ name: shared.networkId }] });
    expect([...wantedNames(DockerModel.fromDocument(JSON.parse(Testing.synth(stack))))]).toEqual([]);
  });

  test('knows the objects of the state by their Docker id, leaving out data sources', () => {
    const state = {
      version: 4,
      resources: [
        { mode: 'managed', type: 'docker_container', name: 'app', instances: [{ attributes: { id: 'c1d', name: 'app' } }] },
        { mode: 'managed', type: 'docker_network', name: 'net', instances: [{ attributes: { id: 'n1d', name: 'net' } }] },
        { mode: 'data', type: 'docker_network', name: 'shared', instances: [{ attributes: { id: 'n2d', name: 'shared' } }] },
        { mode: 'managed', type: 'docker_volume', name: 'data', instances: [{ attributes: { id: 'data', name: 'data' } }] },
      ],
    };
    expect([...stateObjectsOf(JSON.stringify(state))].sort()).toEqual(['container c1d', 'network n1d', 'volume data']);
    expect(stateObjectsOf('')).toEqual(new Set());
  });
});

test('reconcile refuses an encrypted state: read as empty, every object of the stack would look left outside it', () => {
  const encrypted = JSON.stringify({ serial: 1, lineage: 'x', meta: { 'key_provider.pbkdf2.passphrase': 'e30=' }, encrypted_data: 'AAAA' });
  expect(() => stateObjectsOf(encrypted)).toThrow('reconcile cannot read an encrypted state: give it the state as `state pull` prints it');
});
