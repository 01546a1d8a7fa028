import { TerraformStack, Testing } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Engine, EngineHost, Swarm, TlsMaterial } from '../lib';

/** An empty stack with the Docker provider, in a test app. */
export function newStack(id = 'test'): TerraformStack {
  const stack = new TerraformStack(Testing.app(), id);
  new DockerProvider(stack, 'docker');
  return stack;
}

/** Synthesizes with validations, as `cdktf synth` does; throws what a user would read. */
export function synthValidated(stack: TerraformStack): string {
  return Testing.synth(stack, true);
}

/** The synthesized resources of one type, keyed by logical id. */
export function resourcesOf(synthesized: string, type: string): Record<string, any> {
  return JSON.parse(synthesized).resource?.[type] ?? {};
}

/** The single resource of one type. */
export function onlyResource(synthesized: string, type: string): any {
  const all = Object.values(resourcesOf(synthesized, type));
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

/** The synthesized containers, keyed by their Docker name. */
export function containersByName(synthesized: string): Record<string, any> {
  return Object.fromEntries(Object.values(resourcesOf(synthesized, 'docker_container')).map((c: any) => [c.name, c]));
}

/** The Docker name of the network a `networks_advanced` entry refers to (`${docker_network.x.id}`). */
export function networkNameOf(synthesized: string, reference: string): string {
  const logicalId = /docker_network\.([^.]+)\.id/.exec(reference)![1];
  return resourcesOf(synthesized, 'docker_network')[logicalId].name;
}

/** An engine reached over TLS at `address`, with certificates from a folder. */
export const tls = (address: string) => EngineHost.tls(`tcp://${address}:2376`, TlsMaterial.fromPath('/certs'));

/** A stack with a swarm of a manager and a worker, and a standalone engine. */
export function engineLab(): { stack: TerraformStack; manager: Engine; worker: Engine; standalone: Engine } {
  const stack = newStack();
  const swarm = new Swarm(stack, 'lab');
  return {
    stack,
    manager: new Engine(stack, 'manager', { host: tls('10.0.0.2'), swarm, manager: true }),
    worker: new Engine(stack, 'worker', { host: tls('10.0.0.3'), swarm }),
    standalone: new Engine(stack, 'standalone', { host: tls('10.0.0.4') }),
  };
}
