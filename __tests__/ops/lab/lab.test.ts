/**
 * ops/lab/lab.sh (npm run lab) without a lab: what it refuses and what its preflight says, word for word. A fake `ip`
 * first on PATH stands in for the kernel, so nothing of the machine's network is touched; the deploy tier's lab
 * suite (__tests__/e2e/lab.e2e.test.ts) runs the lab itself.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const SCRIPT = path.resolve(__dirname, '..', '..', '..', 'ops', 'lab', 'lab.sh');
let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * `lab.sh <args>` with LAB_DIR in the temp folder and a fake `ip`: every call succeeds and prints nothing, but
 * `route show root|match` print ROUTE, and `link add ... type vxlan` fails where NO_VXLAN is set.
 */
function lab(args: string[], env: Record<string, string> = {}) {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(
    path.join(bin, 'ip'),
    ['#!/usr/bin/env bash', 'case "$*" in', '  *"type vxlan"*) [ -z "${NO_VXLAN:-}" ] ;;', '  *"route show root"*|*"route show match"*) echo "${ROUTE:-}" ;;', 'esac'].join('\n'),
    { mode: 0o755 },
  );
  const result = spawnSync('bash', [SCRIPT, ...args], {
    env: { PATH: `${bin}:${process.env.PATH}`, LAB_DIR: path.join(dir, 'lab'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('usage, node counts and a malformed range are refused with what to give', () => {
  expect(lab([])).toEqual({ code: 1, stdout: '', stderr: 'lab: usage: npm run lab -- up [N] | down | kill I | status | preflight\n' });
  // A failed up prints `false`, so that `eval "$(npm run --silent lab -- up)"` fails too.
  expect(lab(['up', '12'])).toEqual({ code: 1, stdout: 'false\n', stderr: 'lab: up 12: give a number of nodes from 1 to 9\n' });
  expect(lab(['status'], { LAB_SUBNET: '10.77.0.0/16' })).toEqual({
    code: 1,
    stdout: '',
    stderr: 'lab: LAB_SUBNET=10.77.0.0/16: give a private /24 ending in .0/24, e.g. 10.77.0.0/24\n',
  });
});

test('without a lab: status says none is up; kill names the nodes it could take', () => {
  expect(lab(['status'])).toEqual({ code: 0, stdout: '', stderr: `lab: no lab is up (${path.join(dir, 'lab')})\n` });
  expect(lab(['kill', '2'])).toEqual({ code: 1, stdout: '', stderr: 'lab: kill 2: give the number of a node of the lab (1 to 0)\n' });
});

const root = os.userInfo().uid === 0;

(root ? test : test.skip)('preflight: the range must be free, and it names what the kernel lacks', () => {
  expect(lab(['preflight'])).toEqual({ code: 0, stdout: '', stderr: 'lab: this machine can run the lab\n' });
  expect(lab(['preflight'], { ROUTE: '10.77.0.0/16 dev eth1 proto kernel scope link src 10.77.0.2' })).toEqual({
    code: 1,
    stdout: '',
    stderr:
      'lab: LAB_SUBNET=10.77.0.0/24 is routed on this machine already (10.77.0.0/16 dev eth1 proto kernel scope link src 10.77.0.2); ' +
      'choose a free /24 with LAB_SUBNET\n',
  });
  expect(lab(['preflight'], { NO_VXLAN: '1' })).toEqual({
    code: 1,
    stdout: '',
    stderr: 'lab: cannot run the lab on this machine; it lacks: VXLAN (CONFIG_VXLAN): overlay networks between nodes need it\n',
  });
});
