import { IConstruct } from 'constructs';
import { ValidationError, isKnown } from './errors';

/** Docker's own rule for container, network and volume names (moby's `RestrictedNamePattern`). */
const DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/**
 * A DNS name the embedded DNS server can answer: RFC 1123 labels of letters, digits and `-` (and `_`, which Docker
 * accepts), each at most 63 characters and not starting or ending with `-`, separated by dots; 253 characters in all.
 */
const DNS_NAME = /^[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?(\.[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?)*$/;
const DNS_NAME_LENGTH_MAX = 253;

/** True for a name the embedded DNS server can answer, such as a network alias. */
function isDnsName(name: string): boolean {
  return name.length <= DNS_NAME_LENGTH_MAX && DNS_NAME.test(name);
}

export function validateDockerName(scope: IConstruct, kind: 'container' | 'network' | 'volume' | 'service' | 'secret', name: string): void {
  if (!isKnown(name)) return;
  if (!DOCKER_NAME.test(name)) {
    throw new ValidationError(
      scope,
      `invalid ${kind} name "${name}". Docker ${kind} names are at least 2 characters of letters, digits, "_", "." and "-", ` +
        'and start with a letter or digit; set `name` to such a value.',
    );
  }
}

export function validateAlias(scope: IConstruct, alias: string): void {
  if (!isKnown(alias)) return;
  if (!isDnsName(alias)) {
    throw new ValidationError(
      scope,
      `invalid network alias "${alias}". An alias is a DNS name: labels of letters, digits, "-" and "_" separated by dots, ` +
        `each at most 63 characters, ${DNS_NAME_LENGTH_MAX} in all; fix \`aliases\`.`,
    );
  }
}

const PREFIX = Symbol.for('cdktf-docker-networking.name-prefix');

/**
 * Docker names are global on an engine, construct ids only within their scope. `DockerNames.prefix(this)` in a
 * construct of yours puts a prefix in front of the Docker name of every container, network and volume made inside
 * it, so the construct can be used twice in one stack without naming each container by hand. Containers keep
 * their short name as a network alias, so the services inside still find each other as `db` or `redis`.
 */
export class DockerNames {
  /**
   * Prefixes the Docker names of everything created inside `scope` from now on; prefixes of nested scopes add up,
   * outermost first.
   * @param prefix @default - the scope's construct id and a dash, e.g. `shop-a-`
   */
  public static prefix(scope: IConstruct, prefix: string = `${scope.node.id}-`): void {
    if (isKnown(prefix) && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(prefix)) {
      throw new ValidationError(
        scope,
        `name prefix "${prefix}" is not the start of a Docker name; use letters, digits, "_", "." and "-", starting with a letter or digit.`,
      );
    }
    if ((scope as any)[PREFIX] !== undefined) {
      throw new ValidationError(scope, `already has the name prefix "${(scope as any)[PREFIX]}"; set it once per scope.`);
    }
    Object.defineProperty(scope, PREFIX, { value: prefix });
  }

  /** The prefix for Docker names made inside `scope`: those of every enclosing scope, outermost first. */
  public static prefixOf(scope: IConstruct): string {
    return scope.node.scopes.map((s) => (s as any)[PREFIX] ?? '').join('');
  }
}
