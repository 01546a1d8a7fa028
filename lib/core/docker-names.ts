import { IConstruct } from 'constructs';
import { ValidationError, isKnown } from './errors';

/** Docker's own rule for container, network and volume names (moby's `RestrictedNamePattern`). */
const DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** A DNS name the embedded DNS server can answer: labels of letters, digits, `-` and `_`, separated by dots. */
const DNS_NAME = /^[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?(\.[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?)*$/;

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
  if (!DNS_NAME.test(alias)) {
    throw new ValidationError(
      scope,
      `invalid network alias "${alias}". An alias is a DNS name: labels of letters, digits, "-" and "_" separated by dots, ` +
        'each at most 63 characters; fix `aliases`.',
    );
  }
}
