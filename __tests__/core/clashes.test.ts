import { Construct, IConstruct } from 'constructs';
import { Token } from 'cdktf';
import { ClashSource, EngineClaims, addClashSource, findClashes, hostAddressesOverlap, hostPortsClash } from '../../lib/core/clashes';
import { newStack, synthValidated } from '../helpers';

/**
 * The one clash algorithm, fed by two made-up kinds: `low` (rank 1) and `high` (rank 2). Their messages echo what
 * the algorithm hands them, so each test reads which clash it found and against whom.
 */
const claimsOf = new WeakMap<IConstruct, EngineClaims>();

function source(kind: string, rank: number): ClashSource {
  return {
    kind,
    rank,
    claimsOf: (c) => (c.node.id.startsWith(`${kind}-`) ? claimsOf.get(c) : undefined),
    nameTaken: (name, holder) => `${kind} name ${name} taken by ${holder.kind} ${holder.construct.node.path}`,
    hostPortTaken: (port, holder) => `${kind} port ${port.text} taken by ${holder.kind} ${holder.construct.node.path}`,
    networkNameTaken: (name, network, holder) => `${kind} ${name} on ${network.node.id} taken by ${holder.kind} ${holder.construct.node.path}`,
  };
}
const LOW = source('low', 1);
const HIGH = source('high', 2);

function claimant(scope: Construct, id: string, claims: EngineClaims): Construct {
  const construct = new Construct(scope, id);
  claimsOf.set(construct, claims);
  return construct;
}

const port = (number: number, hostIp: string, protocol = 'tcp') => ({ port: number, protocol, hostIp, text: `${hostIp}:${number}/${protocol}` });

function clashes(build: (root: Construct) => void, sources: ClashSource[] = [LOW, HIGH]): string[] {
  const root = new Construct(undefined as any, 'root');
  build(root);
  return findClashes(root.node.findAll(), sources);
}

describe('names', () => {
  test('one name twice in one kind is reported on the later construct', () => {
    expect(clashes((root) => {
      claimant(root, 'low-a', { name: 'web' });
      claimant(root, 'low-b', { name: 'web' });
    })).toEqual(['Construct root/low-b: low name web taken by low root/low-a']);
  });

  test('each kind is a namespace of its own', () => {
    expect(clashes((root) => {
      claimant(root, 'low-a', { name: 'web' });
      claimant(root, 'high-a', { name: 'web' });
    })).toEqual([]);
  });

  test('a name known only at apply time is not compared', () => {
    const name = Token.asString({ Ref: 'x' });
    expect(clashes((root) => {
      claimant(root, 'low-a', { name });
      claimant(root, 'low-b', { name });
    })).toEqual([]);
  });
});

describe('host ports', () => {
  test('one address twice, and an address against every interface, clash; the first holder is named', () => {
    expect(clashes((root) => {
      claimant(root, 'low-a', { hostPorts: [port(5000, '127.0.0.1')] });
      claimant(root, 'low-b', { hostPorts: [port(5000, '127.0.0.1')] });
      claimant(root, 'low-c', { hostPorts: [port(5000, '0.0.0.0')] });
    })).toEqual([
      'Construct root/low-b: low port 127.0.0.1:5000/tcp taken by low root/low-a',
      'Construct root/low-c: low port 0.0.0.0:5000/tcp taken by low root/low-a',
    ]);
  });

  test('two addresses, two protocols or two port numbers do not clash', () => {
    expect(clashes((root) => {
      claimant(root, 'low-a', { hostPorts: [port(5000, '127.0.0.1')] });
      claimant(root, 'low-b', { hostPorts: [port(5000, '192.0.2.10'), port(5000, '127.0.0.1', 'udp'), port(5001, '127.0.0.1')] });
    })).toEqual([]);
  });

  test('a construct does not clash with itself', () => {
    expect(clashes((root) => {
      claimant(root, 'low-a', { hostPorts: [port(5000, '127.0.0.1'), port(5000, '0.0.0.0')] });
    })).toEqual([]);
  });

  test('kinds share the host ports of an engine', () => {
    expect(clashes((root) => {
      claimant(root, 'low-a', { hostPorts: [port(5000, '127.0.0.1')] });
      claimant(root, 'high-a', { hostPorts: [port(5000, '')] });
    })).toEqual(['Construct root/high-a: high port :5000/tcp taken by low root/low-a']);
  });

  test('a clash between two kinds is reported on the kind of higher rank, also when it comes first in the tree', () => {
    expect(clashes((root) => {
      claimant(root, 'high-a', { hostPorts: [port(5000, '')] });
      claimant(root, 'low-a', { hostPorts: [port(5000, '127.0.0.1')] });
    })).toEqual(['Construct root/high-a: high port :5000/tcp taken by low root/low-a']);
  });
});

describe('engines', () => {
  const [one, two, three] = [{}, {}, {}];

  test('one name and one host port on two engines do not clash', () => {
    expect(clashes((root) => {
      claimant(root, 'low-a', { name: 'web', hostPorts: [port(5000, '0.0.0.0')], engines: [one] });
      claimant(root, 'low-b', { name: 'web', hostPorts: [port(5000, '0.0.0.0')], engines: [two] });
      claimant(root, 'low-c', { name: 'web', hostPorts: [port(5000, '0.0.0.0')] });
    })).toEqual([]);
  });

  test('claims clash where their engines meet, e.g. a claim held on every node of a swarm', () => {
    expect(clashes((root) => {
      claimant(root, 'low-a', { name: 'web', hostPorts: [port(5000, '127.0.0.1')], engines: [two] });
      claimant(root, 'low-b', { name: 'web', hostPorts: [port(5000, '')], engines: [one, two, three] });
    })).toEqual(['Construct root/low-b: low name web taken by low root/low-a', 'Construct root/low-b: low port :5000/tcp taken by low root/low-a']);
  });

  test('a claim that names no engine is on the default one, shared by every other such claim', () => {
    expect(clashes((root) => {
      claimant(root, 'low-a', { hostPorts: [port(5000, '127.0.0.1')] });
      claimant(root, 'low-b', { hostPorts: [port(5000, '127.0.0.1')], engines: undefined });
    })).toEqual(['Construct root/low-b: low port 127.0.0.1:5000/tcp taken by low root/low-a']);
  });
});

describe('host addresses', () => {
  test.each([
    ['127.0.0.1', '127.0.0.1', true],
    ['::1', '0:0::1', true],
    ['127.0.0.1', '0.0.0.0', true],
    ['::', '192.0.2.10', true],
    ['', '::1', true],
    ['127.0.0.1', '192.0.2.10', false],
    ['::1', '127.0.0.1', false],
  ])('%p and %p overlap: %p', (a, b, overlap) => {
    expect(hostAddressesOverlap(a, b)).toBe(overlap);
    expect(hostAddressesOverlap(b, a)).toBe(overlap);
  });

  test('an address known only at apply time overlaps every interface, and no address it could be compared with', () => {
    const unknown = Token.asString({ Ref: 'ip' });
    expect(hostAddressesOverlap(unknown, '0.0.0.0')).toBe(true);
    expect(hostAddressesOverlap(unknown, '127.0.0.1')).toBe(false);
    expect(hostAddressesOverlap(unknown, unknown)).toBe(false);
  });

  test('a port number known only at apply time clashes with nothing', () => {
    const unknown = Token.asNumber({ Ref: 'port' });
    expect(hostPortsClash({ port: unknown, protocol: 'tcp', hostIp: '' }, { port: unknown, protocol: 'tcp', hostIp: '' })).toBe(false);
  });
});

describe('names on a network', () => {
  const network = (root: Construct, id = 'net') => new Construct(root, id);

  test('an alias another construct answers to, by alias or by its own name, clashes', () => {
    expect(clashes((root) => {
      const net = network(root);
      claimant(root, 'low-a', { networkNames: [{ network: net, name: 'a', alias: false }, { network: net, name: 'cache', alias: true }] });
      claimant(root, 'low-b', { networkNames: [{ network: net, name: 'cache', alias: true }, { network: net, name: 'a', alias: true }] });
    })).toEqual([
      'Construct root/low-b: low cache on net taken by low root/low-a',
      'Construct root/low-b: low a on net taken by low root/low-a',
    ]);
  });

  test('an own name another construct holds as an alias clashes', () => {
    expect(clashes((root) => {
      const net = network(root);
      claimant(root, 'low-a', { networkNames: [{ network: net, name: 'db', alias: true }] });
      claimant(root, 'low-b', { networkNames: [{ network: net, name: 'db', alias: false }] });
    })).toEqual(['Construct root/low-b: low db on net taken by low root/low-a']);
  });

  test('two own names of one kind are left to the name check; of two kinds they clash', () => {
    expect(clashes((root) => {
      const net = network(root);
      claimant(root, 'low-a', { name: 'web', networkNames: [{ network: net, name: 'web', alias: false }] });
      claimant(root, 'low-b', { name: 'web', networkNames: [{ network: net, name: 'web', alias: false }] });
      claimant(root, 'high-a', { name: 'web', networkNames: [{ network: net, name: 'web', alias: false }] });
    })).toEqual([
      'Construct root/low-b: low name web taken by low root/low-a',
      'Construct root/high-a: high web on net taken by low root/low-a',
    ]);
  });

  test('one name on two networks, or twice from one construct, does not clash', () => {
    expect(clashes((root) => {
      const [one, two] = [network(root, 'one'), network(root, 'two')];
      claimant(root, 'low-a', { networkNames: [{ network: one, name: 'db', alias: true }, { network: one, name: 'db', alias: false }] });
      claimant(root, 'low-b', { networkNames: [{ network: two, name: 'db', alias: true }] });
    })).toEqual([]);
  });
});

describe('addClashSource', () => {
  test('adds one validation a stack, which reads every source registered, once each', () => {
    const stack = newStack();
    const calls: string[] = [];
    const counted = (s: ClashSource): ClashSource => ({ ...s, claimsOf: (c) => (calls.push(`${s.kind} ${c.node.path}`), s.claimsOf(c)) });
    claimant(stack, 'low-a', { hostPorts: [port(5000, '127.0.0.1')] });
    claimant(stack, 'high-a', { hostPorts: [port(5000, '')] });
    addClashSource(stack, counted(HIGH));
    addClashSource(stack, counted(LOW));
    addClashSource(stack, counted(LOW));
    expect(() => synthValidated(stack)).toThrow('Construct test/high-a: high port :5000/tcp taken by low test/low-a');
    expect(calls.filter((c) => c === 'low test/low-a')).toHaveLength(1);
    expect(calls.filter((c) => c === 'high test/high-a')).toHaveLength(1);
  });
});
