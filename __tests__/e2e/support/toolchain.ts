import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_PROVIDER_MIRROR } from '../../../ops/terraform/cli-config';
import { probe } from './process';

/** The provider version `@cdktf/provider-docker` 12.0.3 generates bindings for. */
export const PROVIDER_VERSION = '3.6.2';

/** What the deploy tier needs on this machine, and what it found. */
export interface Toolchain {
  /** The Docker engine's version, when `docker version` reached it. */
  readonly docker?: string;
  /** `terraform` or `tofu`, whichever answers first (TERRAFORM_BINARY_NAME wins, as in cdktf). */
  readonly terraformBinary?: string;
  readonly terraformVersion?: string;
  /** The filesystem mirror searched for the provider (env TF_PROVIDER_MIRROR). */
  readonly mirrorDir: string;
  /** The provider executable found in the mirror. */
  readonly providerPath?: string;
  /** One entry per missing piece, each saying what is missing and how to get it. Empty when all is there. */
  readonly missing: string[];
}

/** Terraform's platform name for this machine, e.g. `linux_amd64`. */
export function terraformPlatform(): string {
  const arch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' };
  return `${process.platform}_${arch[process.arch] ?? process.arch}`;
}

/**
 * Looks for the provider in a filesystem mirror, in either layout Terraform reads:
 * `<host>/kreuzwerker/docker/<version>/<platform>/terraform-provider-docker*` (unpacked) or
 * `<host>/kreuzwerker/docker/terraform-provider-docker_<version>_<platform>.zip` (packed).
 * `<host>` is whatever directory is there: the harness does not assume a registry host name.
 */
export function findProviderInMirror(mirrorDir: string, version = PROVIDER_VERSION): string | undefined {
  const platform = terraformPlatform();
  for (const host of safeReaddir(mirrorDir)) {
    const providerDir = path.join(mirrorDir, host, 'kreuzwerker', 'docker');
    const unpacked = path.join(providerDir, version, platform);
    const binary = safeReaddir(unpacked).find((f) => f.startsWith('terraform-provider-docker'));
    if (binary) return path.join(unpacked, binary);
    const zip = safeReaddir(providerDir).find((f) => f === `terraform-provider-docker_${version}_${platform}.zip`);
    if (zip) return path.join(providerDir, zip);
  }
  return undefined;
}

export function detectToolchain(env: NodeJS.ProcessEnv = process.env): Toolchain {
  const missing: string[] = [];

  const docker = probe('docker', ['version', '--format', '{{.Server.Version}}']);
  if (!docker) {
    const client = probe('docker', ['--version']);
    missing.push(
      client
        ? 'the Docker engine does not answer (`docker version` fails); start it with npm run engine:start'
        : 'the docker CLI is not on PATH; install docker.io and run npm run engine:start',
    );
  }

  const candidates = env.TERRAFORM_BINARY_NAME ? [env.TERRAFORM_BINARY_NAME] : ['terraform', 'tofu'];
  let terraformBinary: string | undefined;
  let terraformVersion: string | undefined;
  for (const candidate of candidates) {
    const json = probe(candidate, ['version', '-json']);
    if (json) {
      terraformBinary = candidate;
      terraformVersion = (JSON.parse(json) as { terraform_version?: string }).terraform_version;
      break;
    }
  }
  if (!terraformBinary) missing.push(`no Terraform CLI: none of ${candidates.join(', ')} runs from PATH`);

  const mirrorDir = env.TF_PROVIDER_MIRROR ?? DEFAULT_PROVIDER_MIRROR;
  const providerPath = findProviderInMirror(mirrorDir);
  if (!providerPath) {
    missing.push(
      `the kreuzwerker/docker ${PROVIDER_VERSION} provider for ${terraformPlatform()} is not in the filesystem mirror ` +
        `${mirrorDir} (set TF_PROVIDER_MIRROR; layout <host>/kreuzwerker/docker/${PROVIDER_VERSION}/${terraformPlatform()}/)`,
    );
  }

  return { docker, terraformBinary, terraformVersion, mirrorDir, providerPath, missing };
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
