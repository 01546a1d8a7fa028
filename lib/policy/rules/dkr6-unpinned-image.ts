import { PolicyLevel } from '../level';
import { IPolicyRule } from '../rule';

/** The tag of an image reference: `7.4` of `redis:7.4`, undefined for `redis` or `host:5000/redis`. */
export function imageTag(reference: string): string | undefined {
  const [nameAndTag] = reference.split('@');
  const colon = nameAndTag.lastIndexOf(':');
  return colon > nameAndTag.lastIndexOf('/') ? nameAndTag.slice(colon + 1) : undefined;
}

/** `redis` of `registry.example:5000/library/redis:7.4@sha256:...`. */
export function imageBaseName(reference: string): string {
  const [nameAndTag] = reference.split('@');
  const lastSegment = nameAndTag.slice(nameAndTag.lastIndexOf('/') + 1);
  return lastSegment.split(':')[0];
}

/** DKR6: `latest` or no tag means a redeploy may run different code than was tested. */
export const DKR6_UNPINNED_IMAGE: IPolicyRule = {
  id: 'DKR6',
  name: 'unpinned-image',
  level: PolicyLevel.WARNING,
  fix: 'pin a version tag (`redis:7.4-alpine`) or a digest (`redis@sha256:...`)',
  evaluate: (c) => {
    if (c.image === undefined || c.image.includes('@')) return [];
    const tag = imageTag(c.image);
    if (tag !== undefined && tag !== 'latest') return [];
    return [{ findingId: c.image, problem: `the image ${c.image} is ${tag ? 'tagged latest' : 'not tagged'}, so what runs can change on any pull` }];
  },
};
