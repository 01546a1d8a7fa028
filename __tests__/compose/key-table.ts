import type { KeyHandling, KeyRule } from '../../lib/compose/keys';

const cell = (h: KeyHandling) => `${h.outcome}: ${h.text.replace(/\|/g, '\\|')}`;

/** The key table of docs/compose.md, one row a key: `| section | key | containers | Swarm |`. */
export function keyTableRows(tables: Record<string, Record<string, KeyRule>>): string[] {
  return Object.entries(tables).flatMap(([section, table]) =>
    Object.keys(table)
      .sort()
      .map((key) => {
        const { containers, swarm } = table[key];
        const same = containers.outcome === swarm.outcome && containers.text === swarm.text;
        return `| ${section} | \`${key}\` | ${cell(containers)} | ${same ? 'the same' : cell(swarm)} |`;
      }),
  );
}

export function keyTableMarkdown(tables: Record<string, Record<string, KeyRule>>): string {
  return ['| definition | key | with containers | with Swarm |', '| --- | --- | --- | --- |', ...keyTableRows(tables)].join('\n');
}
