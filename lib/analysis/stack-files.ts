import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { FinalSynth } from './final-synth';

/**
 * Writes files beside the synthesized stack (`cdktf.out/stacks/<stack>/`) on every synth of the app.
 * It runs after aspects and validations and before cdktf fails the synth on error annotations, so a report is
 * there also when it explains why the synth failed; the stack's checks that wait for the final tree (`FinalSynth`)
 * run just before the first of these files is produced. This uses cdktf's hook for synth-time output (the one
 * `TerraformAsset` uses); `produce` returns file names and contents.
 */
export class StackFiles extends Construct {
  constructor(stack: TerraformStack, id: string, produce: () => Record<string, string>) {
    super(stack, id);
    addCustomSynthesis(this, {
      onSynthesize: (session) => {
        // The reports read what the checks found: they run first, once the tree is final.
        FinalSynth.settle(stack);
        const dir = path.join(session.outdir, session.manifest.forStack(stack).workingDirectory);
        fs.mkdirSync(dir, { recursive: true });
        for (const [name, content] of Object.entries(produce())) fs.writeFileSync(path.join(dir, name), content);
      },
    });
  }
}
