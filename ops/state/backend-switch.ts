/**
 * What the main job does when a stack's backend changed since its folder was initialised: the state was local and
 * STATE_PG_CONN_STR now names PostgreSQL, or back. Terraform itself stops with "Backend configuration changed" and
 * asks a question an automated run cannot answer. The job reads both states first and then:
 * - where the old backend holds no resources, or the user chose `--reconfigure`: `terraform init -reconfigure`,
 *   which takes the new backend's state as it is;
 * - where the user chose `--migrate-state`: `terraform init -migrate-state -force-copy`, which copies the old
 *   backend's state into the new one;
 * - otherwise it stops and prints the exact command for each choice.
 */

/** A backend as Terraform records it in `.terraform/terraform.tfstate`, or as a stack's `terraform.backend` block. */
export interface BackendConfig {
  readonly type: string;
  readonly config: Record<string, unknown>;
}

/** What the user said to do with a changed backend (`--migrate-state`, `--reconfigure`), if anything. */
export type BackendChoice = 'migrate-state' | 'reconfigure';

/** The init the job runs, or the explanation it stops with. */
export type BackendSwitch =
  | { readonly init: string[]; readonly note: string }
  | { readonly stop: string };

/** The backend block of a synthesized stack (`{ "terraform": { "backend": { "pg": {...} } } }`). */
export function declaredBackend(cdkTfJson: { terraform?: { backend?: Record<string, Record<string, unknown>> } }): BackendConfig | undefined {
  const [entry] = Object.entries(cdkTfJson.terraform?.backend ?? {});
  return entry ? { type: entry[0], config: entry[1] } : undefined;
}

/** The backend Terraform initialised the folder with, from the contents of `.terraform/terraform.tfstate`. */
export function initialisedBackend(initState: string | undefined): BackendConfig | undefined {
  if (!initState) return undefined;
  const backend = (JSON.parse(initState) as { backend?: { type?: string; config?: Record<string, unknown> } }).backend;
  return backend?.type ? { type: backend.type, config: backend.config ?? {} } : undefined;
}

/**
 * Whether `declared` is another backend than `initialised`: another type, or a setting the stack writes with
 * another value (Terraform records every setting, the ones the stack leaves out as null).
 */
export function backendChanged(initialised: BackendConfig | undefined, declared: BackendConfig | undefined): boolean {
  if (!initialised || !declared) return false;
  if (initialised.type !== declared.type) return true;
  return Object.entries(declared.config).some(([key, value]) => JSON.stringify(initialised.config[key] ?? null) !== JSON.stringify(value ?? null));
}

/** A backend in words, without a password: `the local file /p/terraform.voting-app.tfstate`, `PostgreSQL ...`. */
export function describeBackend(backend: BackendConfig): string {
  const config = backend.config;
  switch (backend.type) {
    case 'local':
      return `the local file ${String(config.path ?? 'terraform.tfstate')}`;
    case 'pg': {
      const schema = String(config.schema_name ?? 'terraform_remote_state');
      return `PostgreSQL (schema ${schema} at ${withoutPassword(String(config.conn_str ?? '$PG_CONN_STR'))})`;
    }
    default:
      return `the ${backend.type} backend`;
  }
}

function withoutPassword(connStr: string): string {
  try {
    const url = new URL(connStr);
    url.password = '';
    return `${url.host}${url.pathname}`;
  } catch {
    return 'the connection string';
  }
}

function resources(count: number): string {
  return count === 1 ? '1 resource' : `${count} resources`;
}

/**
 * What to do about a changed backend, given how many managed resources each backend's state holds.
 * @param action the job's action, for the commands it prints (`npm run <action> -- --migrate-state`)
 */
export function decideBackendSwitch(args: {
  readonly from: BackendConfig;
  readonly to: BackendConfig;
  readonly fromResources: number;
  readonly toResources: number;
  readonly choice?: BackendChoice;
  readonly action: string;
}): BackendSwitch {
  const from = describeBackend(args.from);
  const to = describeBackend(args.to);
  const changed = `the stack's state moved from ${from} (${resources(args.fromResources)}) to ${to} (${resources(args.toResources)})`;
  if (args.choice === 'migrate-state') {
    return { init: ['-migrate-state', '-force-copy'], note: `${changed}: copying the state of ${from} into ${to} (--migrate-state)` };
  }
  if (args.choice === 'reconfigure') {
    return { init: ['-reconfigure'], note: `${changed}: using the state of ${to} as it is (--reconfigure); ${from} is left as it was` };
  }
  if (args.fromResources === 0) {
    return { init: ['-reconfigure'], note: `${changed}: the old state is empty, so nothing is lost; using the state of ${to} as it is` };
  }
  const command = `npm run ${args.action} --`;
  const lines = [
    `${changed}. Terraform will not choose for you, and neither will this job. Run the same command again with one of:`,
    args.toResources === 0
      ? `  ${command} --migrate-state   # copy the state of ${from} into ${to}: what is deployed stays and is managed from there`
      : `  ${command} --migrate-state   # replace the state in ${to} with the one of ${from}: what ${to} tracks (${resources(args.toResources)}) is forgotten, though still deployed`,
    args.toResources === 0
      ? `  ${command} --reconfigure     # start from the empty state of ${to}: what ${from} tracks (${resources(args.fromResources)}) is not managed from there (a deploy recreates the stack's containers and networks; volumes are adopted with their data; the old state stays where it is)`
      : `  ${command} --reconfigure     # use the state of ${to} as it is; the one of ${from} stays where it is`,
    `or set the backend back as it was (STATE_PG_CONN_STR, CDKTF_STATE_DIR).`,
  ];
  return { stop: lines.join('\n') };
}
