import * as path from 'path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { imagesFromEnvironment } from './stacks/images';
import { NetworkBasicsStack } from './stacks/network-basics';
import { VotingAppStack, orchestratorFromEnvironment, publishModeFromEnvironment, segmentationFromEnvironment } from './stacks/voting-app';

const app = new App();
const images = imagesFromEnvironment();
const stacks: TerraformStack[] = [
  new NetworkBasicsStack(app, 'network-basics', { images }),
  new VotingAppStack(app, 'voting-app', {
    images,
    segmentation: segmentationFromEnvironment(),
    orchestrator: orchestratorFromEnvironment(),
    publishMode: publishModeFromEnvironment(),
  }),
];

// CDKTF_STATE_DIR keeps state apart from the project's (the deploy tier uses a folder per run).
const stateDir = process.env.CDKTF_STATE_DIR;
if (stateDir) {
  for (const stack of stacks) {
    new LocalBackend(stack, { path: path.resolve(stateDir, `${stack.node.id}.tfstate`) });
  }
}

app.synth();
