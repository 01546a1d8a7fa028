import { PolicyLevel } from './level';
import { ContainerModel, StackModel, WorkloadKind } from '../analysis/model';

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
  /** The problems of `container`; empty when it complies. */
  evaluate(container: ContainerModel, stack: StackModel): RuleViolation[];
}
