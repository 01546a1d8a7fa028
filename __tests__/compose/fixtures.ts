import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack } from 'cdktf';
import { ComposeProject, ComposeProjectProps, PolicyTesting } from '../../lib';
import { containersByName, newStack, resourcesOf, synthValidated } from '../helpers';

/** A project folder in a temp dir with the given files (name -> content); returns its path. */
export function projectDir(files: Record<string, string>, name = 'shop'): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'compose-')), name);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

export interface Imported {
  readonly stack: TerraformStack;
  readonly project: ComposeProject;
  readonly dir: string;
  /** The synthesized JSON, with validations. */
  readonly synth: () => string;
  /** Synthesized containers by Docker name. */
  readonly containers: () => Record<string, any>;
  /** Synthesized resources of a type, by Docker name. */
  readonly byName: (type: string) => Record<string, any>;
}

/** A ComposeProject `app` on `docker-compose.yml` (and more files) in a fresh project folder `shop`. */
export function imported(
  compose: string,
  props: Partial<ComposeProjectProps> = {},
  more: Record<string, string> = {},
  dir = projectDir({ 'docker-compose.yml': compose, ...more }),
): Imported {
  const stack = newStack();
  const project = new ComposeProject(stack, 'app', { environment: {}, ...props, files: (props.files ?? ['docker-compose.yml']).map((f) => path.join(dir, f)) });
  let synthesized: string | undefined;
  const synth = () => (synthesized ??= synthValidated(stack));
  return {
    stack,
    project,
    dir,
    synth,
    containers: () => containersByName(synth()),
    byName: (type) => Object.fromEntries(Object.values(resourcesOf(synth(), type)).map((r: any) => [r.name, r])),
  };
}

/** The message ComposeProject `app` throws for these files, with the project folder written `<dir>`. */
export function importError(compose: string, props: Partial<ComposeProjectProps> = {}, more: Record<string, string> = {}): string {
  const dir = projectDir({ 'docker-compose.yml': compose, ...more });
  try {
    imported(compose, props, more, dir);
  } catch (error) {
    return (error as Error).message.split(dir).join('<dir>');
  }
  throw new Error('expected ComposeProject to throw');
}

/** `${docker_network.x.id}` -> the network's Docker name. */
export function networkName(synthesized: string, reference: string): string {
  const id = /docker_network\.([^.]+)\.id/.exec(reference)![1];
  return resourcesOf(synthesized, 'docker_network')[id].name;
}

/** The messages of ComposeProject's annotations of one level on `scope` and below. */
export function annotations(scope: TerraformStack, level: 'error' | 'warning' | 'info'): string[] {
  return PolicyTesting.annotations(scope)
    .filter((a) => a.level === level && a.message.startsWith('ComposeProject '))
    .map((a) => a.message);
}
