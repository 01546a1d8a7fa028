/**
 * The parts of Terraform's machine-readable plan (`terraform show -json <planfile>`, format 1.x) the review reads
 * itself: what changes, and the configuration's references. The Docker objects of either side come from the
 * library's model (`DockerModel.fromPlan`), which reads the plan's values.
 * See Terraform's "JSON Output Format": unknown values are null in `after` and true in `after_unknown`.
 */
export interface PlanJson {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly resource_changes?: ResourceChange[];
  readonly output_changes?: Record<string, { readonly actions: string[] }>;
  readonly configuration?: { readonly root_module?: { readonly resources?: ConfigResource[] } };
}

export interface ResourceChange {
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly action_reason?: string;
  readonly change: {
    readonly actions: string[];
    readonly before: Record<string, any> | null;
    readonly after: Record<string, any> | null;
    readonly after_unknown?: Record<string, any>;
    readonly replace_paths?: (string | number)[][];
  };
}

export interface ConfigResource {
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly expressions?: Record<string, any>;
}

/** What Terraform will do to one object, in the words of the review. */
export type Action = 'create' | 'update' | 'replace' | 'delete' | 'forget' | 'none';

export function actionOf(actions: readonly string[]): Action {
  const key = actions.join(',');
  if (key === 'create') return 'create';
  if (key === 'update') return 'update';
  if (key === 'delete') return 'delete';
  if (key === 'delete,create' || key === 'create,delete') return 'replace';
  if (key === 'forget') return 'forget';
  return 'none'; // no-op, read
}

/** The configuration expressions of the resource at `address`. */
export function configOf(plan: PlanJson, address: string): Record<string, any> | undefined {
  return plan.configuration?.root_module?.resources?.find((r) => r.address === address)?.expressions;
}

/** The value at `path` (`['ports', 0, 'external']`) of `value`, undefined where the path leads nowhere. */
export function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let current: any = value;
  for (const step of path) {
    if (current === null || current === undefined || typeof current !== 'object') return undefined;
    current = current[step];
  }
  return current;
}

/** `ports[0].external` for `['ports', 0, 'external']`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.map((step, i) => (typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`)).join('');
}
