#!/usr/bin/env node
/**
 * `cdktf-compose-convert`: writes a TypeScript stack from compose files, for teams leaving the compose file behind.
 *
 *   cdktf-compose-convert docker-compose.yml [docker-compose.override.yml ...] [--out stacks/app.ts]
 *     [--project-name NAME] [--profile NAME]... [--env-file FILE]... [--swarm] [--class NAME]
 *     [--library MODULE] [--unsupported warn]
 *
 * Interpolation reads the environment now: the values are written into the file. Keys the library does not
 * translate fail the conversion (or, with --unsupported warn, are listed and skipped).
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadCompose } from './load';
import { describeRefusal, planCompose } from './plan';
import { displayPath } from './source';
import { planToTypeScript } from './typescript';

interface Arguments {
  readonly files: string[];
  readonly out?: string;
  readonly projectName?: string;
  readonly profiles: string[];
  readonly envFiles: string[];
  readonly swarm: boolean;
  readonly className?: string;
  readonly library: string;
  readonly warn: boolean;
}

const USAGE =
  'usage: cdktf-compose-convert COMPOSE_FILE... [--out FILE.ts] [--project-name NAME] [--profile NAME]... ' +
  '[--env-file FILE]... [--swarm] [--class NAME] [--library MODULE] [--unsupported warn]';

function parse(argv: string[]): Arguments {
  const files: string[] = [];
  const profiles: string[] = [];
  const envFiles: string[] = [];
  const options: Record<string, string | undefined> = {};
  let swarm = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value; ${USAGE}`);
      return v;
    };
    if (arg === '--swarm') swarm = true;
    else if (arg === '--profile') profiles.push(value());
    else if (arg === '--env-file') envFiles.push(value());
    else if (['--out', '--project-name', '--class', '--library', '--unsupported'].includes(arg)) options[arg] = value();
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}; ${USAGE}`);
    else files.push(arg);
  }
  if (files.length === 0) throw new Error(`name at least one compose file; ${USAGE}`);
  if (options['--unsupported'] !== undefined && options['--unsupported'] !== 'warn') {
    throw new Error(`--unsupported takes "warn", got "${options['--unsupported']}"; ${USAGE}`);
  }
  return {
    files,
    out: options['--out'],
    projectName: options['--project-name'],
    profiles,
    envFiles,
    swarm,
    className: options['--class'],
    library: options['--library'] ?? 'cdktf-docker-networking',
    warn: options['--unsupported'] === 'warn',
  };
}

/** Converts; returns the exit code. Messages go to `log`, the module to `--out` or `write`. */
export function main(argv: string[], write: (text: string) => void, log: (text: string) => void): number {
  try {
    const args = parse(argv);
    const fail = (message: string): never => {
      throw new Error(message);
    };
    const model = loadCompose(
      { files: args.files, projectName: args.projectName, profiles: args.profiles.length ? args.profiles : undefined, envFiles: args.envFiles.length ? args.envFiles : undefined },
      fail,
    );
    const plan = planCompose(model, { swarm: args.swarm, hostIp: '0.0.0.0' }, fail);
    plan.warnings.forEach((w) => log(`warning: ${w}`));
    if (plan.refusals.length > 0) {
      const list = plan.refusals.map(describeRefusal).join('\n');
      if (!args.warn) {
        log(`error: ${plan.refusals.length} compose key(s) are not translated; remove them, or pass --unsupported warn to skip them:\n${list}`);
        return 1;
      }
      log(`warning: ${plan.refusals.length} compose key(s) are not translated and were skipped:\n${list}`);
    }
    const command = ['cdktf-compose-convert', ...argv.filter((a) => a !== args.out && a !== '--out')].join(' ');
    const text = planToTypeScript(plan, {
      sources: model.files.map(displayPath),
      projectName: model.name,
      library: args.library,
      className: args.className,
      command,
    });
    if (args.out) {
      fs.mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
      fs.writeFileSync(args.out, text);
      log(`wrote ${args.out}: ${plan.constructs.length} constructs of compose project "${model.name}"`);
    } else {
      write(text);
    }
    return 0;
  } catch (error) {
    log(`error: ${(error as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = main(
    process.argv.slice(2),
    (text) => process.stdout.write(text),
    (text) => process.stderr.write(`${text}\n`),
  );
}
