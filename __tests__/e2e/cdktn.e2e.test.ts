/**
 * Deploy tier on CDK Terrain: the packed library in a cdktn project installed as docs/cdktn.md says, deployed with
 * `cdktn deploy` (cdktn-cli 0.24 on Node 22) against the local engine, checked from inside a container, diffed and
 * destroyed. Then the voting app from the same project, deployed by the main job's driver (the one npm run deploy
 * runs, with `--app` at the project's compiled app): a vote cast on 5000 is counted on 5001, the diff is empty, and
 * the destroy leaves nothing. Node 22, cdktn and cdktn-cli come from the npm registry; where they cannot be
 * installed the suite skips (or, where the deploy tier is required, fails) naming why.
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeCliConfig } from '../../ops/terraform/cli-config';
import { TIMEOUTS, parsePlan } from './support/cdktf';
import { CdktnProject, provisionCdktnProject } from './support/cdktn-project';
import { describeDeploy } from './support/deploy-tier';
import { containerExists, containerNetworks, inspectContainer, networkExists, removeLeftovers, wget } from './support/docker';
import { RunResult, assertSucceeded, run } from './support/process';
import { recordTiming } from './support/timings';
import { castVoteWhenReady, waitFor, waitForTally } from './support/voting';
import { PROJECT_ROOT } from './support/cdktf';
import { LOCAL_IMAGES } from '../../stacks/images';

const STACK = 'terrain';
const IMAGE = 'voting-app-local/toolbox:local';
const NETWORK = 'terrain-network';
const CONTAINERS = ['terrain-client', 'terrain-web'];
const SERVICES = ['vote', 'result', 'worker', 'redis', 'db'];
const NETWORKS = ['frontend-network', 'backend-network'];
const VOTE_URL = 'http://127.0.0.1:5000';
const RESULT_URL = 'http://127.0.0.1:5001';
const DRIVER = path.join(PROJECT_ROOT, 'dist', 'ops', 'main-job', 'main-job.js');
const WAIT_FOR_ENGINE_MS = Number(process.env.VOTING_APP_E2E_WAIT_SECONDS ?? 420) * 1000;

/** The voting app's containers and networks on the engine now (by anyone). */
function occupied(): string[] {
  return [...SERVICES.filter(containerExists).map((c) => `container ${c}`), ...NETWORKS.filter(networkExists).map((n) => `network ${n}`)];
}

let project: CdktnProject | undefined;

describeDeploy(
  'a cdktn project deployed with cdktn deploy on Node 22',
  {
    images: [IMAGE, ...Object.values(LOCAL_IMAGES)],
    provision: () => {
      const provisioned = provisionCdktnProject(path.join(__dirname, 'fixtures', 'cdktn', 'main.ts'));
      project = provisioned.project;
      return provisioned.missing;
    },
  },
  (toolchain) => {
    let env: NodeJS.ProcessEnv;
    let destroyed = false;

    /**
     * `cdktn <args>` in the project. The CLI's entry starts with `#!/usr/bin/env node`, which finds Node 22 first on
     * PATH; offline, it takes the provider from the mirror and skips `terraform providers lock`.
     */
    const cdktn = (args: string[], timeoutMs: number): Promise<RunResult> =>
      run(project!.cli, [...args, '--skip-provider-lock', '--no-color'], { cwd: project!.dir, env, timeoutMs });

    beforeAll(async () => {
      const { dir } = project!;
      removeLeftovers({ containers: CONTAINERS, networks: [NETWORK] });
      assertSucceeded(await run(process.execPath, [path.join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { cwd: dir, env: project!.env, timeoutMs: 120_000 }));
      const cdktfJson = { language: 'typescript', app: 'node dist/main.js', sendCrashReports: 'false', terraformProviders: [], context: {} };
      fs.writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify(cdktfJson, null, 2));
      env = {
        ...project!.env,
        TF_CLI_CONFIG_FILE: writeCliConfig(path.join(dir, 'terraform.tfrc'), toolchain.mirrorDir, toolchain.terraformBinary),
        TF_IN_AUTOMATION: '1',
        CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1',
        FORCE_COLOR: '0',
        NO_COLOR: '1',
        E2E_IMAGE: IMAGE,
        ...(toolchain.terraformBinary ? { TERRAFORM_BINARY_NAME: toolchain.terraformBinary } : {}),
      };
      const deploy = assertSucceeded(await cdktn(['deploy', STACK, '--auto-approve'], TIMEOUTS.deploy));
      recordTiming('cdktn', 'deploy', deploy.ms);
    });

    afterAll(async () => {
      if (!project) return;
      if (votingDeployed) await mainJob(['destroy']);
      if (!destroyed && env) await cdktn(['destroy', STACK, '--auto-approve'], TIMEOUTS.destroy);
      removeLeftovers({ containers: CONTAINERS, networks: [NETWORK] });
      fs.rmSync(project.home, { recursive: true, force: true });
    });

    test('both containers run, each attached to terrain-network only', () => {
      for (const name of CONTAINERS) {
        expect(inspectContainer(name).State.Running).toBe(true);
        expect(containerNetworks(name)).toEqual([NETWORK]);
      }
    });

    test('from inside terrain-client, terrain-web answers by its name', () => {
      expect(wget('terrain-client', 'http://terrain-web:8080/')).toBe('hello from terrain-web\n');
    });

    test('the policy pack ran in the synth cdktn deploy made: its reports are beside the stack', () => {
      const out = path.join(project!.dir, 'cdktf.out', 'stacks', STACK);
      for (const file of ['cdk.tf.json', 'policy-report.json', 'reachability.md']) expect(fs.existsSync(path.join(out, file))).toBe(true);
      const report = JSON.parse(fs.readFileSync(path.join(out, 'policy-report.json'), 'utf8'));
      expect(report.findings.filter((f: { status: string }) => f.status === 'failed')).toEqual([]);
    });

    test('right after deploy, cdktn diff reports no changes', async () => {
      const diff = assertSucceeded(await cdktn(['diff', STACK], TIMEOUTS.diff));
      expect(parsePlan(diff.output)).toMatchObject({ noChanges: true, add: 0, change: 0, destroy: 0 });
    });

    test('cdktn destroy removes the containers and the network', async () => {
      assertSucceeded(await cdktn(['destroy', STACK, '--auto-approve'], TIMEOUTS.destroy));
      destroyed = true;
      for (const name of CONTAINERS) expect(containerExists(name)).toBe(false);
      expect(networkExists(NETWORK)).toBe(false);
    });

    // The voting app from the cdktn project, through the main job's driver (ops/main-job/main-job.ts): the app it loads
    // in-process is the project's, on cdktn, with the library the project installed.
    let votingDeployed = false;
    const mainJob = (args: string[]): Promise<RunResult> =>
      run(process.execPath, [DRIVER, ...args, '--stack', 'voting-app', '--app', path.join(project!.dir, 'dist', 'voting.js')], {
        cwd: project!.dir,
        env: votingEnv,
        timeoutMs: TIMEOUTS.deploy,
      });
    let votingEnv: NodeJS.ProcessEnv;

    test('the main job deploys the voting app of the cdktn project, and a vote cast on 5000 is counted on 5001', async () => {
      const { dir } = project!;
      let taken = occupied();
      if (taken.length > 0) await waitFor(() => ((taken = occupied()).length === 0 ? true : undefined), WAIT_FOR_ENGINE_MS, 5_000);
      expect(taken).toEqual([]);
      fs.copyFileSync(path.join(__dirname, 'fixtures', 'cdktn', 'voting.ts'), path.join(dir, 'voting.ts'));
      fs.writeFileSync(path.join(dir, 'tsconfig.voting.json'), JSON.stringify({ extends: './tsconfig.json', include: ['voting.ts'] }));
      const tsc = path.join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
      assertSucceeded(await run(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.voting.json')], { cwd: dir, env: project!.env, timeoutMs: 120_000 }));
      votingEnv = { ...process.env, TF_PROVIDER_MIRROR: toolchain.mirrorDir, TF_VAR_db_password: `cdktn-${process.pid}-${Date.now()}`, CHECKPOINT_DISABLE: '1' };
      delete votingEnv.TF_CLI_CONFIG_FILE;
      if (toolchain.terraformBinary) votingEnv.TERRAFORM_BINARY_NAME = toolchain.terraformBinary;
      votingDeployed = true;
      const deploy = assertSucceeded(await mainJob(['deploy']));
      recordTiming('cdktn', 'main job deploy (voting app)', deploy.ms);
      expect(deploy.output).toContain(`main-job: synth (in-process)`);
      expect(await castVoteWhenReady(VOTE_URL, 'a', 'cdktn-voter')).toBe(200);
      expect((await waitForTally(RESULT_URL, { a: 1, b: 0, total: 1 }, 60_000)).last).toEqual({ a: 1, b: 0, total: 1 });
    });

    test('the main job diffs it (nothing to change) and destroys it (nothing left)', async () => {
      const diff = await mainJob(['diff', '--detailed-exitcode']);
      expect(`${diff.code} ${diff.output}`).toMatch(/^0 [\s\S]*No changes\. Your infrastructure matches the configuration/);
      assertSucceeded(await mainJob(['destroy']));
      votingDeployed = false;
      expect(occupied()).toEqual([]);
    });
  },
);
