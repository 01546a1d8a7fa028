import { Construct, IConstruct } from 'constructs';
import { Fn } from 'cdktf';
import type { Secret } from '@cdktf/provider-docker/lib/secret';
import { hasBrand, registerConstruct } from '../core/brand';
import { validateDockerName } from '../core/docker-names';
import { objectLabels } from '../core/labels';
import { providerOf, requireManager } from '../engine/placement';

/** A Swarm secret that services mount as a file: one created by this app (`SwarmSecret`), or one of yours. */
export interface ISwarmSecret extends IConstruct {
  /** The secret's name in the swarm as written in code. */
  readonly name: string;
  /** The secret's id in the swarm, as a reference: services that mount it are created after it. */
  readonly secretId: string;
  /** The secret's name, as a reference. */
  readonly secretName: string;
}

export interface SwarmSecretProps {
  /**
   * The secret's name in the swarm (`docker secret create NAME`).
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * The secret's content as plain text, e.g. a sensitive Terraform variable's `value`. It is base64-encoded at
   * apply time (the provider's `data` takes base64), so it never appears in cdk.tf.json unless you write it there.
   * It is stored in the Terraform state.
   */
  readonly data: string;

  /**
   * Labels on the secret.
   * @default - no labels
   */
  readonly labels?: Record<string, string>;
}

/**
 * A Swarm secret (`docker secret create`): kept encrypted in the swarm's raft log and mounted only into the tasks
 * of services that name it, under `/run/secrets/`. A secret cannot change: new content replaces it, which Docker
 * refuses while a service still mounts it (see docs/provider-behaviour.md).
 */
export class SwarmSecret extends Construct implements ISwarmSecret {
  /** True for a SwarmSecret, also one from another copy of this library. */
  public static isSwarmSecret(x: unknown): x is SwarmSecret {
    return hasBrand(x, 'SwarmSecret');
  }

  public readonly name: string;
  public readonly secretId: string;
  public readonly secretName: string;

  /** The provider's `docker_secret` resource. */
  public readonly resource: Secret;

  constructor(scope: Construct, id: string, props: SwarmSecretProps) {
    super(scope, id);
    registerConstruct(this, 'SwarmSecret');
    this.name = props.name ?? id;
    validateDockerName(this, 'secret', this.name);
    requireManager(this, 'a Swarm secret');
    this.resource = new (providerSecret())(this, 'Resource', {
      provider: providerOf(this),
      name: this.name,
      data: Fn.base64encode(props.data),
      labels: objectLabels(this, props.labels),
    });
    this.secretId = this.resource.id;
    this.secretName = this.resource.name;
  }
}

/** The provider's `docker_secret` class, loaded on first use, like `docker_service` (swarm-service.ts). */
function providerSecret(): typeof Secret {
  return (require('@cdktf/provider-docker/lib/secret') as typeof import('@cdktf/provider-docker/lib/secret')).Secret;
}
