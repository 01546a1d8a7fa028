import { TerraformStack } from 'cdktf';
import { Container, ContainerConfig } from '@cdktf/provider-docker/lib/container';
import { DockerPolicy, DockerPolicyProps, PolicyCheckResult, PolicyFinding, PolicyTesting } from '../../lib';
import { newStack } from '../helpers';

/**
 * A raw provider container (made without our constructs) that complies with every rule of the pack: the
 * starting point that each non-compliant fixture changes in one attribute.
 */
export const COMPLIANT: ContainerConfig = {
  name: 'app',
  image: 'nginx:1.27',
  networksAdvanced: [{ name: 'app-network' }],
  healthcheck: { test: ['CMD', 'true'] },
  memory: 64,
  memorySwap: 64,
  cpuPeriod: 100000,
  cpuQuota: 50000,
  readOnly: true,
  capabilities: { drop: ['ALL'] },
  securityOpts: ['no-new-privileges:true'],
  restart: 'unless-stopped',
};

/** A stack with one raw container: COMPLIANT with `overrides`. */
export function stackWith(overrides: Partial<ContainerConfig> = {}, stack: TerraformStack = newStack()): TerraformStack {
  new Container(stack, 'app', { ...COMPLIANT, ...overrides });
  return stack;
}

/** Applies the pack to `stack`, synthesizes it and returns what came out. */
export function check(stack: TerraformStack, props: DockerPolicyProps = {}): PolicyCheckResult {
  DockerPolicy.applyTo(stack, props);
  return PolicyTesting.synth(stack);
}

/** The findings of rule `ruleId` on the stack, suppressed ones included. */
export function findingsOf(stack: TerraformStack, ruleId: string): PolicyFinding[] {
  return check(stack).findings.filter((f) => f.ruleId === ruleId);
}
