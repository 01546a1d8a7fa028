import { IConstruct } from 'constructs';
import { AnnotationMetadataEntryType } from 'cdktf';

const TYPES = {
  error: AnnotationMetadataEntryType.ERROR,
  warning: AnnotationMetadataEntryType.WARN,
  info: AnnotationMetadataEntryType.INFO,
} as const;

/**
 * A cdktf annotation without a stack trace: `Annotations.of(x).addError` records one, and for a finding it would
 * point into the aspect rather than at the user's code, so `cdktf synth` would print a dozen useless lines a finding.
 */
export function annotate(scope: IConstruct, level: keyof typeof TYPES, message: string): void {
  scope.node.addMetadata(TYPES[level], message);
}
