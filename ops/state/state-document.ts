/**
 * What a stack's state says before Terraform or OpenTofu reads it, so that switching between the two in one checkout
 * works both ways (docs/opentofu.md):
 * - OpenTofu writes the provider of each resource under its own registry (`registry.opentofu.org/kreuzwerker/docker`),
 *   where Terraform stops: "This state requires provider registry.opentofu.org/kreuzwerker/docker, but that provider
 *   isn't available". Terraform takes such a state over with `terraform state replace-provider` (`takeOverCommands`).
 *   OpenTofu reads Terraform's addresses (`registry.terraform.io/...`) by itself and writes its own at the next apply.
 * - OpenTofu's state encryption writes `{ "meta": ..., "encrypted_data": ... }`, which Terraform cannot read
 *   ("The state file does not have a "version" attribute"), nor OpenTofu without the stack's `encryption` block.
 */

/** The registry hosts the two CLIs give a provider source without a host. */
const HOSTS = { Terraform: 'registry.terraform.io', OpenTofu: 'registry.opentofu.org' } as const;

export type Product = keyof typeof HOSTS;

/** Whether `text` (a state file, or what `state pull` printed) is encrypted by OpenTofu. */
export function isEncryptedState(text: string): boolean {
  if (text.trim() === '') return false;
  try {
    const state = JSON.parse(text) as { encrypted_data?: unknown; version?: unknown };
    return state.encrypted_data !== undefined && state.version === undefined;
  } catch {
    return false;
  }
}

/** The provider addresses (`registry.opentofu.org/kreuzwerker/docker`) the resources of an unencrypted state name. */
export function stateProviders(text: string): string[] {
  if (text.trim() === '' || isEncryptedState(text)) return [];
  const state = JSON.parse(text) as { resources?: { provider?: string }[] };
  const addresses = (state.resources ?? []).map((r) => /^provider\["([^"]+)"\]/.exec(r.provider ?? '')?.[1]).filter((a): a is string => !!a);
  return [...new Set(addresses)].sort();
}

/**
 * The `state replace-provider` arguments that give `product` a state the other CLI wrote: one command for each
 * provider of the other's registry. Empty for OpenTofu, which reads Terraform's addresses as they are.
 */
export function takeOverCommands(text: string, product: Product): string[][] {
  if (product !== 'Terraform') return [];
  const other = `${HOSTS.OpenTofu}/`;
  return stateProviders(text)
    .filter((address) => address.startsWith(other))
    .map((address) => ['state', 'replace-provider', '-auto-approve', address, `${HOSTS.Terraform}/${address.slice(other.length)}`]);
}

/**
 * Why `product` cannot read an encrypted state for stack `stack`, or undefined when it can: Terraform never can;
 * OpenTofu can when the stack configures the encryption (`encrypts`).
 */
export function encryptedStateProblem(stack: string, product: Product, encrypts: boolean): string | undefined {
  if (product === 'Terraform') {
    return (
      `the state of stack ${stack} is encrypted by OpenTofu (state encryption), and Terraform cannot read an encrypted state. ` +
      'Write it back unencrypted with OpenTofu first (npm run deploy with TERRAFORM_BINARY_NAME=tofu STATE_ENCRYPTION=decrypt, ' +
      'docs/opentofu.md), then run Terraform again'
    );
  }
  if (encrypts) return undefined;
  return (
    `the state of stack ${stack} is encrypted, but the stack has no encryption configuration (StateEncryption; ` +
    'STATE_ENCRYPTION=off for npm run deploy): OpenTofu cannot read it without the passphrase. Leave STATE_ENCRYPTION unset, ' +
    'or set it to decrypt to write the state back unencrypted'
  );
}
