import { IConstruct } from 'constructs';

/** One cdktf annotation of a stack, as the synthesized manifest lists it. */
export interface StackAnnotation {
  /** The path of the construct it is on. */
  readonly path: string;
  readonly level: 'error' | 'warning' | 'info';
  readonly message: string;
  /** The rule id the message starts with (`[DKR6] ...`, `[REACH1] ...`), if any. */
  readonly ruleId?: string;
}

const LEVELS: Record<string, StackAnnotation['level']> = {
  '@cdktf/error': 'error',
  '@cdktf/warn': 'warning',
  '@cdktf/info': 'info',
};

/** The annotations on `scope` and everything inside it, read from the construct metadata. */
export function annotationsOf(scope: IConstruct): StackAnnotation[] {
  return scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type in LEVELS)
      .map((m) => ({
        path: c.node.path,
        level: LEVELS[m.type],
        message: String(m.data),
        ruleId: /^\[([A-Z]+\d+)\]/.exec(String(m.data))?.[1],
      })),
  );
}
