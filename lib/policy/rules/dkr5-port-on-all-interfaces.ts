import { PolicyLevel } from '../level';
import { asArray } from '../../analysis/values';
import { IPolicyRule, RuleViolation } from '../rule';

const ALL_INTERFACES = [undefined, null, '', '0.0.0.0', '::'];

/** DKR5: a port published on every host interface is open to every network the host is on. */
export const DKR5_PORT_ON_ALL_INTERFACES: IPolicyRule = {
  id: 'DKR5',
  name: 'port-on-all-interfaces',
  level: PolicyLevel.WARNING,
  fix: 'publish on one host address, e.g. `hostIp: \'127.0.0.1\'`, or suppress with the reason the port must be public',
  evaluate: (c) => {
    const violations: RuleViolation[] = asArray(c.config.ports)
      .filter((p) => ALL_INTERFACES.includes(p.ip))
      .map((p) => {
        const port = `${p.external ?? p.internal}/${p.protocol ?? 'tcp'}`;
        return { findingId: port, problem: `port ${port} (container port ${p.internal}) is published on all host interfaces` };
      });
    if (c.config.publish_all_ports === true) {
      violations.push({ findingId: 'publish_all_ports', problem: 'publish_all_ports publishes every exposed port on all host interfaces' });
    }
    return violations;
  },
};
