/**
 * Deploy tier: OpenTofu beside Terraform in one checkout (docs/opentofu.md), through the main job in a copy of the
 * project (support/main-job.ts), whichever CLI the rest of the tier runs on:
 * - Terraform deploys; OpenTofu deploys over it (its init runs again, its log names tofu), encrypting the state on
 *   the way (STATE_ENCRYPTION, on by default under OpenTofu): the state file and its backup no longer hold the
 *   database password, the diff is empty, the votes are kept;
 * - Terraform then stops on the encrypted state and says how to get it back; OpenTofu writes it back unencrypted
 *   (STATE_ENCRYPTION=decrypt); Terraform takes it over (replace-provider), finds nothing to change, and destroys;
 * - with the state in PostgreSQL (E2E_PG_CONN_STR, as .ci/run starts it): under OpenTofu the row never holds the
 *   password while deploy, diff, review and destroy work.
 * OpenTofu is installed where missing by the repository's script (npm run tofu:install, ops/terraform/install-tofu.sh).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { documented } from '../docs/commands';
import { encryptedStateProblem, isEncryptedState, stateProviders } from '../../ops/state/state-document';
import { PROJECT_ROOT } from './support/cdktf';
import { describeDeploy } from './support/deploy-tier';
import { containerExists, networkExists } from './support/docker';
import { MainJob } from './support/main-job';
import { sql } from './support/postgres';
import { assertSucceeded } from './support/process';
import { castVoteWhenReady, waitFor, waitForTally } from './support/voting';
import { LOCAL_IMAGES } from '../../stacks/images';

const SERVICES = ['vote', 'result', 'worker', 'redis', 'db'];
const NETWORKS = ['frontend-network', 'backend-network'];
const VOTE_URL = 'http://127.0.0.1:5000';
const RESULT_URL = 'http://127.0.0.1:5001';
const NO_CHANGES = /No changes\. Your infrastructure matches the configuration/;
const WAIT_FOR_ENGINE_MS = Number(process.env.VOTING_APP_E2E_WAIT_SECONDS ?? 420) * 1000;
const TERRAFORM = { TERRAFORM_BINARY_NAME: 'terraform', STATE_ENCRYPTION: undefined };
const TOFU = { TERRAFORM_BINARY_NAME: 'tofu', STATE_ENCRYPTION: undefined };
const DEPLOY_WITH_TOFU = documented('TERRAFORM_BINARY_NAME=tofu VOTING_APP_IMAGES=local npm run deploy');
const DECRYPT = documented('TERRAFORM_BINARY_NAME=tofu STATE_ENCRYPTION=decrypt npm run deploy');

const occupied = () => [...SERVICES.filter(containerExists), ...NETWORKS.filter(networkExists)];

describeDeploy(
  'Terraform and OpenTofu in one checkout, and the encrypted state',
  {
    images: Object.values(LOCAL_IMAGES),
    provision: () => {
      const install = spawnSync('bash', ['-c', documented('npm run --silent tofu:install')], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 1_800_000 });
      return install.status === 0 ? [] : [`OpenTofu could not be installed by ops/terraform/install-tofu.sh: ${install.stderr.trim().split('\n').pop()}`];
    },
  },
  (toolchain) => {
    let job: MainJob | undefined;
    const state = () => fs.readFileSync(job!.statePath, 'utf8');
    const backup = () => fs.readFileSync(`${job!.statePath}.backup`, 'utf8');
    const vote = async (voter: string, want: number) => {
      expect(await castVoteWhenReady(VOTE_URL, 'a', voter)).toBe(200);
      expect((await waitForTally(RESULT_URL, { a: want, b: 0, total: want }, 60_000)).last).toEqual({ a: want, b: 0, total: want });
    };

    beforeAll(async () => {
      let taken = occupied();
      if (taken.length > 0) await waitFor(() => ((taken = occupied()).length === 0 ? true : undefined), WAIT_FOR_ENGINE_MS, 5_000);
      if (taken.length > 0) throw new Error(`the voting app's names are taken on this engine (${taken.join(', ')}); destroy that deploy first`);
      job = new MainJob(toolchain, 'switch');
    }, WAIT_FOR_ENGINE_MS + 60_000);

    afterAll(async () => {
      if (!job) return;
      // Whichever CLI can read the state now destroys.
      if ((await job.run('destroy', {}, TOFU)).code !== 0) await job.run('destroy', {}, TERRAFORM);
      job.cleanUp();
    });

    test('Terraform deploys: its state holds the password in clear text, the provider under registry.terraform.io', async () => {
      const deploy = assertSucceeded(await job!.run('deploy', {}, TERRAFORM));
      expect(deploy.output).toMatch(/main-job: synth \(in-process\) [\d.]+ s, terraform init [\d.]+ s, reconcile [\d.]+ s, terraform apply/);
      expect(state()).toContain(job!.password());
      expect(stateProviders(state())).toEqual(['registry.terraform.io/kreuzwerker/docker']);
      await vote('terraform', 1);
    });

    test('OpenTofu deploys over it (as docs/opentofu.md writes it): init again, tofu in the log, the state encrypted, nothing to change', async () => {
      const deploy = assertSucceeded(await job!.runDocumented([DEPLOY_WITH_TOFU]));
      expect(deploy.output).toMatch(/main-job: synth \(in-process\) [\d.]+ s, tofu init [\d.]+ s, reconcile [\d.]+ s, tofu apply/);
      expect(deploy.output).toContain('main-job: OpenTofu (tofu) takes the provider from the filesystem mirror');
      expect(deploy.output).not.toMatch(/terraform (init|apply)/);
      for (const text of [state(), backup()]) {
        expect(isEncryptedState(text)).toBe(true);
        expect(text).not.toContain(job!.password());
      }
      expect(job!.statePassphrase()).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(assertSucceeded(await job!.run('diff', {}, TOFU)).output).toMatch(NO_CHANGES);
      expect(await job!.stateList(TOFU)).toEqual(job!.declaredResources());
      await vote('opentofu', 2);
    });

    test('Terraform stops on the encrypted state, saying how to get it back, and changes nothing', async () => {
      const refused = await job!.run('deploy', {}, TERRAFORM);
      expect(refused.code).toBe(1);
      expect(refused.output).toContain(`main-job deploy: FAILED: ${encryptedStateProblem('voting-app', 'Terraform', true)}`);
      expect(isEncryptedState(state())).toBe(true);
    });

    test('OpenTofu writes the state back unencrypted; Terraform takes it over and finds nothing to change; the votes are kept', async () => {
      assertSucceeded(await job!.runDocumented([DECRYPT], { VOTING_APP_IMAGES: undefined }));
      expect(isEncryptedState(state())).toBe(false);
      expect(stateProviders(state())).toEqual(['registry.opentofu.org/kreuzwerker/docker']);
      const deploy = assertSucceeded(await job!.run('deploy', {}, TERRAFORM));
      expect(deploy.output).toContain(
        'main-job: the state of voting-app was written by OpenTofu; Terraform takes it over: terraform state replace-provider -auto-approve ' +
          'registry.opentofu.org/kreuzwerker/docker registry.terraform.io/kreuzwerker/docker',
      );
      expect(stateProviders(state())).toEqual(['registry.terraform.io/kreuzwerker/docker']);
      expect(assertSucceeded(await job!.run('diff', {}, TERRAFORM)).output).toMatch(NO_CHANGES);
      await vote('terraform-again', 3);
      assertSucceeded(await job!.run('destroy', {}, TERRAFORM));
      expect(occupied()).toEqual([]);
    });

    const pgConnStr = process.env.E2E_PG_CONN_STR;
    (pgConnStr ? test : test.skip)(
      `with the state in PostgreSQL${pgConnStr ? '' : ' (SKIPPED: E2E_PG_CONN_STR is not set; .ci/run sets it)'}: under OpenTofu the row never holds the password; deploy, diff, review and destroy work`,
      async () => {
        const schema = `tofu_${process.pid}_voting_app`;
        const local = job!;
        job = new MainJob(toolchain, 'tofu-pg', { TERRAFORM_BINARY_NAME: 'tofu', STATE_PG_CONN_STR: pgConnStr, STATE_PG_SCHEMA_PREFIX: `tofu_${process.pid}_` });
        const row = () => sql(pgConnStr!, `select data from ${schema}.states where name = 'default'`);
        const expectSealed = () => {
          expect(isEncryptedState(row())).toBe(true);
          expect(row()).not.toContain(job!.password());
        };
        try {
          assertSucceeded(await job.run('deploy'));
          expectSealed();
          await vote('opentofu-pg', 1);
          expect(assertSucceeded(await job.run('diff')).output).toMatch(NO_CHANGES);
          const review = await job.runDocumented([documented('npm run review -- voting-app')]);
          expect(review.code).toBe(0);
          expect(fs.readFileSync(path.join(job.dir, 'cdktf.out', 'review', 'voting-app.md'), 'utf8')).toContain('voting-app');
          expectSealed();
          assertSucceeded(await job.run('destroy'));
          expectSealed();
          expect(occupied()).toEqual([]);
        } finally {
          await job.run('destroy');
          job.cleanUp();
          job = local;
        }
      },
    );
  },
);
