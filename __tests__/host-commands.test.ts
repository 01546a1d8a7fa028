/**
 * Every program the project's scripts, the deploy tier's harness and the bench run on the host either comes with
 * the base system or is installed (apt-get) by the project file that needs it. A fresh machine then runs
 * .ci/run without a hand-installed package. When this fails, add the command to HOST_COMMANDS below: with the
 * file that installs its Debian package, or, if every machine has it, with BASE and the reason.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { shellCommands, spawnedCommands } from './shell-commands';

const ROOT = path.resolve(__dirname, '..');

/** Where a base command comes from, and why it is on every machine the project runs on. */
const BASE = {
  // Debian's packages of priority "required" are in every Debian system, debootstrap's minbase included.
  required: 'Debian required',
  // The machine image ships these (see the environment's machine description): the toolchain of the project.
  image: 'machine image',
  // Built from its source, a Go module, by the project's script where missing (npm run tofu:install).
  goModule: 'Go module proxy, npm run tofu:install',
} as const;

type Source = (typeof BASE)[keyof typeof BASE] | `${string}/${string}`;

/** Host command -> [Debian package, where it comes from: BASE or the project file whose apt-get installs it]. */
const HOST_COMMANDS: Record<string, [pkg: string, source: Source]> = {
  'apt-get': ['apt', BASE.required],
  awk: ['mawk', BASE.required],
  base64: ['coreutils', BASE.required],
  basename: ['coreutils', BASE.required],
  bash: ['bash', BASE.required],
  cat: ['coreutils', BASE.required],
  chmod: ['coreutils', BASE.required],
  chown: ['coreutils', BASE.required],
  chroot: ['coreutils', BASE.required],
  cp: ['coreutils', BASE.required],
  curl: ['curl', 'ops/images/smoke-local-images.sh'],
  cut: ['coreutils', BASE.required],
  date: ['coreutils', BASE.required],
  debootstrap: ['debootstrap', 'ops/images/build-local-images.sh'],
  dirname: ['coreutils', BASE.required],
  docker: ['docker.io', 'ops/engine/start-docker.sh'],
  'docker-compose': ['docker-compose', 'bench/voting-app.bench.ts'],
  dockerd: ['docker.io', 'ops/engine/start-docker.sh'],
  'dpkg-deb': ['dpkg', BASE.required],
  du: ['coreutils', BASE.required],
  find: ['findutils', BASE.required],
  flock: ['util-linux', BASE.required],
  getconf: ['libc-bin', BASE.required],
  go: ['golang-go', 'tools/lint-workflows.sh'],
  getent: ['libc-bin', BASE.required],
  grep: ['grep', BASE.required],
  head: ['coreutils', BASE.required],
  hostname: ['hostname', BASE.required],
  id: ['coreutils', BASE.required],
  ip: ['iproute2', 'ops/lab/lab.sh'],
  iptables: ['iptables', 'ops/lab/lab.sh'],
  ls: ['coreutils', BASE.required],
  mkdir: ['coreutils', BASE.required],
  mktemp: ['coreutils', BASE.required],
  mount: ['mount', BASE.required],
  mountpoint: ['util-linux', BASE.required],
  mv: ['coreutils', BASE.required],
  openssl: ['openssl', 'ops/lab/lab.sh'],
  node: ['nodejs', BASE.image],
  npm: ['npm', BASE.image],
  paste: ['coreutils', BASE.required],
  readlink: ['coreutils', BASE.required],
  // The client comes with the server package start-postgres.sh installs; state:unlock talks to that server.
  psql: ['postgresql', 'ops/state/start-postgres.sh'],
  realpath: ['coreutils', BASE.required],
  rm: ['coreutils', BASE.required],
  runuser: ['util-linux', BASE.required],
  sed: ['sed', BASE.required],
  seq: ['coreutils', BASE.required],
  setsid: ['util-linux', BASE.required],
  sha256sum: ['coreutils', BASE.required],
  sleep: ['coreutils', BASE.required],
  sort: ['coreutils', BASE.required],
  tail: ['coreutils', BASE.required],
  tar: ['tar', BASE.required],
  // The Terraform CLI is not a Debian package; the machine image has it on PATH.
  terraform: ['terraform', BASE.image],
  time: ['time', 'bench/voting-app.bench.ts'],
  // Not a Debian package either: OpenTofu, for TERRAFORM_BINARY_NAME=tofu (ops/terraform/install-tofu.sh).
  tofu: ['opentofu', BASE.goModule],
  tee: ['coreutils', BASE.required],
  timeout: ['coreutils', BASE.required],
  touch: ['coreutils', BASE.required],
  tr: ['coreutils', BASE.required],
  umount: ['mount', BASE.required],
  unshare: ['util-linux', 'ops/lab/lab.sh'],
  wc: ['coreutils', BASE.required],
};

/**
 * The files scanned, relative to the project root: the operator's side (ops/, every folder in it), the repository's
 * tools, CI, the deploy tier's harness and the bench.
 */
function scannedFiles(): string[] {
  const inDir = (dir: string, exts: string[], recursive = false) =>
    fs
      .readdirSync(path.join(ROOT, dir), { recursive, encoding: 'utf8' })
      .filter((f) => exts.some((ext) => f.endsWith(ext)))
      .map((f) => `${dir}/${f}`)
      .sort();
  return [
    ...inDir('ops', ['.sh', '.ts'], true),
    ...inDir('tools', ['.sh', '.js']),
    '.ci/run',
    ...inDir('.ci', ['.sh']),
    ...inDir('__tests__/e2e/support', ['.ts']),
    ...inDir('bench', ['.sh', '.ts']),
  ];
}

/** A TypeScript or JavaScript file (the rest is bash). */
const isScript = (file: string) => /\.[jt]s$/.test(file);

/** Bash builtins and keywords: they run no program. */
function bashBuiltins(): Set<string> {
  const out = spawnSync('bash', ['-c', 'compgen -b; compgen -k'], { encoding: 'utf8' }).stdout;
  return new Set(out.split('\n').filter(Boolean));
}

/** Host command -> the files that run it. */
function hostCommands(): Map<string, string[]> {
  const files = scannedFiles();
  const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');
  // Functions of the scripts and of the image definitions they source (images/<role>/image.conf).
  const confs = fs.readdirSync(path.join(ROOT, 'images')).map((d) => `images/${d}/image.conf`).filter((f) => fs.existsSync(path.join(ROOT, f)));
  const notPrograms = bashBuiltins();
  for (const f of [...files, ...confs].filter((f) => !isScript(f))) shellCommands(read(f)).functions.forEach((fn) => notPrograms.add(fn));

  const found = new Map<string, string[]>();
  for (const file of files) {
    const commands = isScript(file)
      ? spawnedCommands(read(file))
      : shellCommands(read(file)).commands.filter((c) => !notPrograms.has(c));
    for (const command of commands) found.set(command, [...(found.get(command) ?? []), file]);
  }
  return found;
}

describe('host commands', () => {
  const found = hostCommands();

  test('every command the scripts, the deploy-tier harness and the bench run is in the table', () => {
    const unknown = [...found].filter(([command]) => !(command in HOST_COMMANDS)).map(([c, files]) => `${c} (${files.join(', ')})`);
    expect(unknown).toEqual([]);
  });

  test('the scan reaches every folder of ops/, the tools, CI, the harness and the bench', () => {
    const folders = new Set(scannedFiles().map((f) => path.dirname(f)));
    const ops = fs.readdirSync(path.join(ROOT, 'ops'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `ops/${d.name}`);
    expect(ops.length).toBeGreaterThan(0);
    expect([...folders].sort()).toEqual([...ops, 'tools', '.ci', '__tests__/e2e/support', 'bench'].sort());
  });

  test('the table lists no command that nothing runs', () => {
    expect(Object.keys(HOST_COMMANDS).filter((command) => !found.has(command))).toEqual([]);
  });

  test.each(Object.entries(HOST_COMMANDS).filter(([, [, source]]) => source.includes('/')))(
    '%s: the file named installs its package with apt-get',
    (_command, [pkg, source]) => {
      const text = fs.readFileSync(path.join(ROOT, source), 'utf8');
      expect(text).toMatch(/apt-get['",\s]+install/);
      expect(text).toMatch(new RegExp(`(^|[^\\w.-])${pkg.replace(/\./g, '\\.')}($|[^\\w.-])`, 'm'));
    },
  );
});

describe('the command scan', () => {
  test('finds commands in pipelines, substitutions and after wrappers; skips strings, comments, heredocs and arrays', () => {
    const script = [
      'set -euo pipefail',
      'x="$(busybox --list | sort)"  # cat in a comment',
      'pkgs=(curl wget) ; setsid nohup dockerd >>"$log" 2>&1 </dev/null &',
      'docker exec c sh -c "nc -w2 db 5432" && chroot "$dir" apt-get update',
      'case "$1" in deploy) npx cdktf deploy ;; esac',
      "cat >f <<'EOF'",
      'ping inside a heredoc',
      'EOF',
      'say() { echo "$*" >&2; }',
    ].join('\n');
    expect(shellCommands(script)).toEqual({
      commands: ['busybox', 'cat', 'chroot', 'docker', 'dockerd', 'echo', 'nohup', 'npx', 'set', 'setsid', 'sort'],
      functions: ['say'],
    });
  });

  test('finds the programs a TypeScript file spawns by name', () => {
    expect(spawnedCommands("spawnSync('docker', ['ps']); spawn('/usr/bin/time', ['-v']); run(file, ['x'])")).toEqual(['docker', 'time']);
  });
});
