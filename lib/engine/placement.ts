import { IConstruct } from 'constructs';
import { TerraformProvider } from 'cdktf';
import { ValidationError, constructLabel } from '../core/errors';
import { Engine, nodesOf } from './engine';

/** The provider a construct's resources name: its engine's; undefined (the stack's default provider) without engines. */
export function providerOf(scope: IConstruct): TerraformProvider | undefined {
  return Engine.of(scope)?.provider;
}

/** `Engine app/worker (tcp://10.0.0.3:2376)`, or `the stack's default engine`: how messages name an engine. */
export function describeEngine(engine: Engine | undefined): string {
  return engine ? `${constructLabel(engine)} (${engine.host})` : "the stack's default engine";
}

/** Both engines are nodes of one swarm the stack declares. */
export function inOneSwarm(a: Engine | undefined, b: Engine | undefined): boolean {
  return a?.swarm !== undefined && a.swarm === b?.swarm;
}

/**
 * The engines the clash check counts a construct's names and host ports on: its own, or for what a swarm holds
 * swarm-wide (a service's name and published ports, an overlay network's name) every node of its swarm; undefined
 * for the stack's default provider.
 */
export function claimedEngines(scope: IConstruct, swarmWide: boolean): Engine[] | undefined {
  const engine = Engine.of(scope);
  if (engine === undefined) return undefined;
  return swarmWide && engine.swarm ? nodesOf(engine.swarm) : [engine];
}

/**
 * Refuses what a swarm holds (`what`: `a Swarm service`) on an engine the stack does not declare a manager; on the
 * stack's default provider, without engines, the stack is trusted to point at a manager, as before.
 */
export function requireManager(scope: IConstruct, what: string): void {
  const engine = Engine.of(scope);
  if (engine === undefined || engine.manager) return;
  throw new ValidationError(
    scope,
    `is on ${describeEngine(engine)}, which this stack does not declare a swarm manager; ${what} is created through a ` +
      "manager of its swarm, and Docker refuses it on a worker or a standalone engine. Create it inside a manager's " +
      'scope, or declare the engine one: `new Engine(scope, id, { swarm, manager: true })`.',
  );
}
