import { IConstruct } from 'constructs';
import { ValidationError, isKnown } from './errors';

// The grammar of an image reference, as github.com/distribution/reference writes it in regexp.go (Docker's parser):
//   reference := name [ ":" tag ] [ "@" digest ]
//   name      := [ domain "/" ] path-component [ "/" path-component ]*
const ALPHANUMERIC = '[a-z0-9]+';
/** One period, one or two underscores, or any number of dashes. */
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
/** A registry host: a domain name, an IPv4 address or a bracketed IPv6 address, with an optional port. */
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${NAME})(?::${TAG})?(?:@(${DIGEST}))?$`);

/**
 * The longest name (registry host and repository path) Docker takes. Engine 25's parser counts the host in; later
 * ones count the path only, so a name within this limit passes both.
 */
const NAME_LENGTH_MAX = 255;

/** The digest algorithms Docker can verify, and the length of their lower-case hex digests. */
const DIGEST_HEX = new Map([
  ['sha256', /^[a-f0-9]{64}$/],
  ['sha384', /^[a-f0-9]{96}$/],
  ['sha512', /^[a-f0-9]{128}$/],
]);

const EXAMPLES = 'write it like "nginx:1.27", "registry.example:5000/team/app:1.0" or "app@sha256:<64 hex digits>".';

/** Refuses an image reference Docker would not parse, e.g. `Nginx :1.27`; a token is known only at apply time. */
export function validateImageReference(scope: IConstruct, image: string): void {
  if (!isKnown(image)) return;
  const problem = imageReferenceProblem(image);
  if (problem !== undefined) throw new ValidationError(scope, `image "${image}" is not an image reference: ${problem}; ${EXAMPLES}`);
}

function imageReferenceProblem(image: string): string | undefined {
  const match = REFERENCE.exec(image);
  if (match === null) {
    return REFERENCE.test(image.toLowerCase())
      ? 'the repository path has upper-case letters, and Docker takes lower case only there'
      : 'Docker takes a repository path of lower-case letters and digits, separated by ".", "_", "__", "-" or "/", ' +
          'after an optional registry host and port, then an optional ":tag" and "@digest"';
  }
  const [, name, digest] = match;
  if (name.length > NAME_LENGTH_MAX) {
    return `the name before the tag is ${name.length} characters long, and Docker takes at most ${NAME_LENGTH_MAX}`;
  }
  if (digest !== undefined) {
    const [algorithm, hex] = digest.split(':');
    if (!DIGEST_HEX.get(algorithm)?.test(hex)) {
      return 'the digest is not one Docker can verify: sha256, sha384 or sha512, then 64, 96 or 128 lower-case hex digits';
    }
  }
  return undefined;
}
