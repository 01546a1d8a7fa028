/**
 * `cdktf output <stack>` for the deploy tier: the stack's outputs as `cdktf output --outputs-file` writes them,
 * `{ "<stack>": { "<output name>": value } }`, read back as JSON.
 *
 * Note: `cdktf deploy --outputs-file` writes the same values nested by construct path instead
 * (`{ "<stack>": { "inventory": { "Output": value } } }`), so the two files are not interchangeable.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CdktfRun } from './cdktf';
import { assertSucceeded, RunResult } from './process';

export const OUTPUT_TIMEOUT_MS = 120_000;

export interface StackOutputs {
  /** What the command printed (the human-readable listing). */
  readonly result: RunResult;
  /** The outputs of the stack by Terraform output name. */
  readonly values: Record<string, unknown>;
}

/** Runs `cdktf output <stack> --skip-provider-lock --outputs-file <run folder>/outputs.<stack>.json`. */
export async function cdktfOutput(cdktf: CdktfRun, stack: string, timeoutMs = OUTPUT_TIMEOUT_MS): Promise<StackOutputs> {
  const file = path.join(cdktf.dir, `outputs.${stack}.json`);
  fs.rmSync(file, { force: true });
  const result = assertSucceeded(await cdktf.output(stack, file, timeoutMs));
  const all = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
  if (!(stack in all)) throw new Error(`cdktf output wrote no outputs for stack ${stack}: ${JSON.stringify(all)}`);
  return { result, values: all[stack] };
}

/** One network in the `networks` output of `NetworkInventory`. */
export interface InventoryNetwork {
  readonly id: string;
  /** Subnet, gateway and IP range of each IPAM block, as Docker reports them. */
  readonly ipam: { subnet: string; gateway: string; ip_range: string }[];
  readonly members: { container: string; aliases: string[] }[];
}

/** The `networks` output (or another name) of a stack, as `NetworkInventory` writes it. */
export function inventoryOf(outputs: StackOutputs, name = 'networks'): Record<string, InventoryNetwork> {
  const value = outputs.values[name];
  if (value === undefined) {
    throw new Error(`no output "${name}" among ${Object.keys(outputs.values).join(', ') || 'none'}`);
  }
  return value as Record<string, InventoryNetwork>;
}
