import * as path from 'path';
import { App, LocalBackend, PgBackend, TerraformStack } from 'cdktf';
import { imagesFromEnvironment } from './stacks/images';
import { NetworkBasicsStack } from './stacks/network-basics';
import { encryptState, stateEncryptionFromEnvironment } from './stacks/state-encryption';
import {
  VotingAppStack,
  dataPlacementFromEnvironment,
  orchestratorFromEnvironment,
  publishModeFromEnvironment,
  segmentationFromEnvironment,
} from './stacks/voting-app';

const app = new App();
const images = imagesFromEnvironment();
const stacks: TerraformStack[] = [
  new NetworkBasicsStack(app, 'network-basics', { images }),
  new VotingAppStack(app, 'voting-app', {
    images,
    segmentation: segmentationFromEnvironment(),
    orchestrator: orchestratorFromEnvironment(),
    publishMode: publishModeFromEnvironment(),
    dataPlacement: dataPlacementFromEnvironment(),
  }),
];

// STATE_PG_CONN_STR shares the state of a team (and its lock) in PostgreSQL: one schema a stack, named after it
// (voting_app), behind an optional STATE_PG_SCHEMA_PREFIX. It wins over CDKTF_STATE_DIR, which keeps state in a
// folder apart from the project's (the deploy tier uses a folder per run). Without either: cdktf's local default.
const pgConnStr = process.env.STATE_PG_CONN_STR;
if (pgConnStr !== undefined && pgConnStr.trim() === '') {
  // `export STATE_PG_CONN_STR="$(npm run --silent state:start)"` whose script failed: the state must not
  // silently stay local while the user believes it is shared.
  throw new Error('STATE_PG_CONN_STR is set but empty (did npm run state:start fail?); set it to a postgres:// URL, or unset it to keep the state local');
}
const stateDir = process.env.CDKTF_STATE_DIR;
// Under OpenTofu each stack's state and plans are encrypted (STATE_ENCRYPTION, stacks/state-encryption.ts), so that
// neither the state file nor the PostgreSQL row holds the database password in clear text.
const encryption = stateEncryptionFromEnvironment();
for (const stack of stacks) {
  if (encryption) encryptState(stack, encryption);
  if (pgConnStr) {
    const schemaName = `${process.env.STATE_PG_SCHEMA_PREFIX ?? ''}${stack.node.id}`.replace(/[^A-Za-z0-9_]/g, '_');
    new PgBackend(stack, { connStr: pgConnStr, schemaName });
  } else if (stateDir) {
    new LocalBackend(stack, { path: path.resolve(stateDir, `${stack.node.id}.tfstate`) });
  }
}

app.synth();
