/** The provider's list-of-blocks form of a label map. */
export function toLabels(labels: Record<string, string> | undefined): { label: string; value: string }[] | undefined {
  if (labels === undefined || Object.keys(labels).length === 0) return undefined;
  return Object.entries(labels).map(([label, value]) => ({ label, value }));
}
