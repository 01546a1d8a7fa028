import { ComposePlan, PlannedConstruct } from './plan';
import { ImportSource, Ref, importsOf, print, quote } from './plan-value';

export interface TypeScriptOptions {
  /** The compose files as the header names them. */
  readonly sources: string[];
  readonly projectName: string;
  /** The module the library's constructs are imported from. */
  readonly library: string;
  /** @default - the project name in PascalCase, e.g. `VotingApp` for voting-app */
  readonly className?: string;
  /** The command line that wrote it, for the header. */
  readonly command: string;
}

const FIELD_TYPES: Record<PlannedConstruct['kind'], string> = {
  'Network': 'Network',
  'Network.fromName': 'INetwork',
  'Volume': 'Volume',
  'Volume.fromName': 'IVolume',
  'SwarmSecret': 'SwarmSecret',
  'ServiceContainer': 'ServiceContainer',
  'SwarmService': 'SwarmService',
};

/**
 * A TypeScript module that makes the same constructs as `ComposeProject` on the same files, with the same ids (so the
 * same Terraform addresses): a construct class with one field a compose object, and a stack class holding it with
 * the Docker provider. What the constructs do not model is set on their provider resources, each line under a
 * comment naming the compose key.
 */
export function planToTypeScript(plan: ComposePlan, options: TypeScriptOptions): string {
  const className = options.className ?? pascal(options.projectName);
  const byRef = new Map(plan.constructs.map((c) => [c.ref, c]));
  const variable = (ref: Ref) => `this.${byRef.get(ref.key)!.variable}`;

  const imports = new Map<string, ImportSource>();
  for (const c of plan.constructs) {
    importsOf(c.props, imports);
    c.settings.forEach((s) => importsOf(s.value, imports));
    imports.set(FIELD_TYPES[c.kind], 'library');
    if (c.kind.endsWith('fromName')) imports.set(c.kind.split('.')[0], 'library');
  }
  const names = (from: ImportSource) => [...imports].filter(([, f]) => f === from).map(([name]) => name).sort();
  const cdktf = ['TerraformStack', ...names('cdktf')].sort();

  const fields = plan.constructs.map((c) => `  public readonly ${c.variable}: ${FIELD_TYPES[c.kind]};`);
  const body = plan.constructs.flatMap((c) => {
    const args = `this, ${quote(c.id)}, ${print(c.props, variable, '    ')}`;
    const made = c.kind.endsWith('fromName') ? `${c.kind}(${args})` : `new ${c.kind}(${args})`;
    const lines = [`    this.${c.variable} = ${made};`];
    let last: string | undefined;
    for (const s of c.settings) {
      if (s.from !== last) lines.push(`    // ${s.from}`);
      last = s.from;
      const target = `this.${c.variable}.${s.on}`;
      const value = print(s.value, variable, '    ');
      lines.push(s.put ? `    ${target}.put${s.attribute.charAt(0).toUpperCase()}${s.attribute.slice(1)}(${value});` : `    ${target}.${s.attribute} = ${value};`);
    }
    return lines;
  });

  return [
    `// Written by \`${options.command}\` from ${options.sources.join(', ')} (compose project "${options.projectName}").`,
    '// It no longer reads the compose files: edit it as your own code.',
    ...(names('path').length ? ["import * as path from 'path';"] : []),
    "import { Construct } from 'constructs';",
    `import { ${cdktf.join(', ')} } from 'cdktf';`,
    "import { DockerProvider } from '@cdktf/provider-docker/lib/provider';",
    `import { ${names('library').join(', ')} } from ${quote(options.library)};`,
    '',
    `/** The compose project "${options.projectName}": its networks, volumes and services, named as compose names them. */`,
    `export class ${className} extends Construct {`,
    ...fields,
    '',
    '  constructor(scope: Construct, id: string) {',
    '    super(scope, id);',
    ...body,
    '  }',
    '}',
    '',
    `/** A stack with the Docker provider and the project, as construct \`project\`. */`,
    `export class ${className}Stack extends TerraformStack {`,
    `  public readonly project: ${className};`,
    '',
    '  constructor(scope: Construct, id: string) {',
    '    super(scope, id);',
    "    new DockerProvider(this, 'docker');",
    `    this.project = new ${className}(this, 'project');`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** `voting-app` -> `VotingApp`. */
export function pascal(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return /^[A-Za-z]/.test(joined) ? joined : `Compose${joined}`;
}
