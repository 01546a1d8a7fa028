import { PolicyLevel } from './level';
import type { DockerModel } from '../analysis/docker-model';
import { ContainerModel, WorkloadKind } from '../analysis/model-types';

/** One problem a rule found on one container. */
export interface RuleViolation {
  /**
   * What the problem is about, when a container can have several of it (a capability, a port, a network, an
   * environment variable): a suppression can name it in `appliesTo` to accept this one and no other.
   * @default - the finding is about the container as a whole
   */
  readonly findingId?: string;
  /** What is wrong, naming the value found. */
  readonly problem: string;
}

/** A check of the policy pack. Its `id` never changes once released: suppressions and reports refer to it. */
export interface IPolicyRule {
  /** Stable id, e.g. `DKR1`. */
  readonly id: string;
  /** A short name, e.g. `privileged`. */
  readonly name: string;
  readonly level: PolicyLevel;
  /** How to fix a finding; appended to every message. */
  readonly fix: string;
  /**
   * What the rule checks: containers, Swarm services, or both. A service's task has no `privileged`, host
   * namespaces or security options in the provider's `docker_service`, so the rules about those skip services.
   * @default - both: a service is read in a container's terms (see `ContainerModel.config`)
   */
  readonly workloads?: readonly WorkloadKind[];
  /**
   * The problems of `container`; empty when it complies. `stack` is the model the container belongs to: a
   * `StackModel` at synth, a `DockerModel` built from a plan in a review, so a rule reads only what both have (no
   * construct: `container.resource` is undefined in a review).
   */
  evaluate(container: ContainerModel, stack: DockerModel): RuleViolation[];
}
