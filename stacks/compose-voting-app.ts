import * as path from 'path';
import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { ComposeProject, DockerPolicy, PolicyLevel } from '../lib';

/** This folder in the checkout, also when run compiled from dist/stacks. */
const STACKS_DIR = path.basename(path.dirname(__dirname)) === 'dist' ? path.join(__dirname, '..', '..', 'stacks') : __dirname;

/** Upstream's compose file of the voting app, and the override that runs it on the local images (README.md there). */
export const COMPOSE_VOTING_APP_FILES = ['docker-compose.yml', 'docker-compose.local.yml'].map((file) =>
  path.join(STACKS_DIR, 'compose-voting-app', file),
);

/**
 * The voting app from its upstream compose file, imported with `ComposeProject`: networks front-tier and back-tier,
 * the db volume and five containers named as compose names them (compose-voting-app-vote-1, ...), health-gated.
 * Not in main.ts: it publishes 5000 and 5001 like the voting-app stack; the deploy tier deploys it on its own.
 */
export class ComposeVotingAppStack extends TerraformStack {
  public readonly project: ComposeProject;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new DockerProvider(this, 'docker');
    this.project = new ComposeProject(this, 'project', { files: COMPOSE_VOTING_APP_FILES });
    // Upstream's file publishes on every interface, keeps Docker's capabilities and sets no limits: the pack reports
    // each finding in policy-report.md, and fails the synth only on errors (none here).
    DockerPolicy.applyTo(this, { failAt: PolicyLevel.ERROR });
  }
}
