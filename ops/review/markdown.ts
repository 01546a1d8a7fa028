/** The review as Markdown for a pull-request comment, with the topology after the change as a Mermaid diagram. */
import { Finding } from './policy';
import { ObjectChange, Review, engineName } from './review';
import { Action } from './plan';
import { ContainerModel, DEFAULT_BRIDGE } from '../../lib';
import { Topology, actionOn } from './topology';

/** The first line of every review comment: the workflow finds its own comment by it. */
export function reviewMarker(stack: string): string {
  return `<!-- cdktf-docker-review: ${stack} -->`;
}

/** The first line of the review's comment number `part` (2 and on) where it takes several. */
export function reviewPartMarker(stack: string, part: number): string {
  return `<!-- cdktf-docker-review: ${stack} part ${part} -->`;
}

/** The most a GitHub comment holds, in characters. */
export const COMMENT_LIMIT = 65_536;

/**
 * The largest Mermaid diagram the review draws, in characters: Mermaid's `maxTextSize`, beyond which GitHub shows
 * "Maximum text size in diagram exceeded" instead of the picture.
 */
export const MERMAID_LIMIT = 50_000;

const ACTION_WORDS: Record<ObjectChange['action'], string> = {
  create: 'create',
  update: 'update in place',
  replace: '**replace**',
  delete: '**delete**',
  forget: 'forget',
};

/**
 * A part of the review: its heading lines, then items never split across comments (a table row, one object's
 * consequences); `header` is repeated where the items go on in the next comment (a table's head).
 */
interface Section {
  readonly heading: string[];
  readonly header: string[];
  readonly items: string[];
  readonly footer: string[];
}

export function renderMarkdown(review: Review): string {
  const engines = review.engines.length > 0;
  return [...head(review), ...[...detailSections(review), topologySection(review.after, engines)].flatMap(sectionLines)].join('\n');
}

/** The marker, the title and the counts. */
function head(review: Review, part?: { number: number; of: number }): string[] {
  const { counts } = review;
  const lines = [
    part && part.number > 1 ? reviewPartMarker(review.stack, part.number) : reviewMarker(review.stack),
    `## Docker review: stack \`${review.stack}\`${part ? `, part ${part.number} of ${part.of}` : ''}`,
    '',
  ];
  if (part && part.number > 1) return lines;
  if (!review.hasChanges) {
    lines.push(`No changes: the ${counts.unchanged} objects deployed match the code.`, '');
  } else {
    lines.push(
      `**${counts.create} to create, ${counts.update} to update in place, ${counts.replace} to replace, ${counts.delete} to delete**` +
        `${counts.forget > 0 ? `, ${counts.forget} to forget` : ''}; ${counts.unchanged} unchanged.` +
        (review.outputsChanged.length > 0 ? ` Outputs that change: ${review.outputsChanged.map(code).join(', ')}.` : ''),
      '',
    );
  }
  // A stack on more than one engine (or on one named in its code) says which engine each object is on.
  if (review.engines.length > 0) {
    const host = (e: Review['engines'][number]) => escape(e.host ?? "(the environment's DOCKER_HOST, else the local socket)");
    lines.push(`Engines: ${review.engines.map((e) => `${code(engineName(e.key))} ${host(e)}`).join('; ')}.`, '');
  }
  return lines;
}

function sectionLines(section: Section): string[] {
  return [...section.heading, ...section.header, ...section.items, ...section.footer];
}

/** Every change, what happens on the engine, the policy findings and the reachable pairs that change. */
function detailSections(review: Review): Section[] {
  const sections: Section[] = [];
  const engines = review.engines.length > 0;
  if (review.changes.length > 0) {
    sections.push({
      heading: [],
      header: [`| object | Docker name |${engines ? ' engine |' : ''} action | forced by |`, `| --- | --- |${engines ? ' --- |' : ''} --- | --- |`],
      items: review.changes.map(
        (c) =>
          `| ${c.kind} | ${cell(nameOf(c))} |${engines ? ` ${cell(engineName(c.engine?.key))} |` : ''} ${ACTION_WORDS[c.action]} | ` +
          `${cell(c.forcedBy.map((f) => code(f.path)).join(', ') || '-', true)} |`,
      ),
      footer: [''],
    });
    sections.push({
      heading: [`### What happens on the ${engines ? 'engines' : 'engine'}`, ''],
      header: [],
      items: review.changes.map((c) => changeLines(c, engines).join('\n')),
      footer: [''],
    });
  }

  const { added, removed } = review.findings;
  const findings = [...added.map((f) => findingRow('added', f)), ...removed.map((f) => findingRow('removed', f))];
  sections.push({
    heading: ['### Policy findings compared with what is deployed', ''],
    header: findings.length > 0 ? ['| change | rule | level | container | finding | problem |', '| --- | --- | --- | --- | --- | --- |'] : [],
    items: findings.length > 0 ? findings : ['No finding added or removed.'],
    footer: [''],
  });

  const pairs = review.reachability;
  const rows = [
    ...pairs.added.map((p) => `| become reachable | ${cell(p.a)} <-> ${cell(p.b)} | ${cell(p.networks.join(', '))} |`),
    ...removedRows(review),
    ...pairs.moved.map(
      (p) => `| stay reachable, over other networks | ${cell(p.a)} <-> ${cell(p.b)} | ${cell(p.after.join(', '))} (before: ${cell(p.before.join(', '))}) |`,
    ),
  ];
  sections.push({
    heading: ['### Reachability compared with what is deployed', ''],
    header: rows.length > 0 ? ['| change | containers | over |', '| --- | --- | --- |'] : [],
    items: rows.length > 0 ? rows : ['No pair of containers becomes or stops being reachable.'],
    footer: [''],
  });
  return sections;
}

/**
 * The pairs that stop being reachable: a workload being deleted stops reaching every one it reached, which one row
 * says where there are more than 3 of them; the other pairs one row each.
 */
function removedRows(review: Review): string[] {
  const deleted = new Set(review.changes.filter((c) => c.action === 'delete' && (c.kind === 'container' || c.kind === 'service')).map((c) => c.name));
  const byDeleted = new Map<string, { networks: Set<string>; count: number }>();
  for (const p of review.reachability.removed) {
    for (const gone of [p.a, p.b].filter((name) => deleted.has(name))) {
      const group = byDeleted.get(gone) ?? { networks: new Set<string>(), count: 0 };
      p.networks.forEach((n) => group.networks.add(n));
      group.count++;
      byDeleted.set(gone, group);
    }
  }
  const grouped = new Set([...byDeleted].filter(([, g]) => g.count > 3).map(([name]) => name));
  return [
    ...[...grouped].map((name) => {
      const { networks, count: reached } = byDeleted.get(name)!;
      return `| stop being reachable | ${cell(name)} (deleted) <-> each of the ${count(reached)} it reached | ${cell([...networks].sort().join(', '))} (before) |`;
    }),
    ...review.reachability.removed
      .filter((p) => !grouped.has(p.a) && !grouped.has(p.b))
      .map((p) => `| stop being reachable | ${cell(p.a)} <-> ${cell(p.b)} | ${cell(p.networks.join(', '))} (before) |`),
  ];
}

/** `backend-network → vote-redis-network` for an object a replacement renames, else its name. */
function nameOf(c: ObjectChange): string {
  return c.renamedFrom ? `${c.renamedFrom} → ${c.name}` : c.name;
}

/** One object's change as a list item: what forces it, what changes, and what happens on the engine. */
function changeLines(c: ObjectChange, engines: boolean): string[] {
  const on = engines && c.engine ? ` on ${escape(engineName(c.engine.key))}` : '';
  const lines = [`- **${c.kind} ${escape(nameOf(c))}** (${ACTION_WORDS[c.action].replace(/\*/g, '')})${on}:`];
  for (const f of c.forcedBy) lines.push(`  - forced by ${code(f.path)}: ${escape(f.detail)}`);
  if (c.action === 'update' && c.changedAttributes.length > 0) lines.push(`  - changes ${c.changedAttributes.map(code).join(', ')}`);
  for (const consequence of c.consequences) lines.push(`  - ${escape(consequence)}`);
  return lines;
}

function findingRow(what: 'added' | 'removed', f: Finding): string {
  const status = what === 'added' && f.suppressedBecause !== undefined ? ` (suppressed: ${f.suppressedBecause})` : '';
  return `| ${what} | ${f.ruleId} ${f.ruleName} | ${f.level} | ${cell(f.container)} | ${cell(f.findingId ?? '-')} | ${cell(f.problem + status)} |`;
}

/** The Mermaid picture of the topology after the change, or why it is left out. */
function topologySection(topology: Topology, engines: boolean, leftOut?: string): Section {
  const mermaid = renderMermaid(topology, engines);
  const why =
    leftOut ??
    (mermaid.length > MERMAID_LIMIT
      ? `The picture is left out: at ${count(mermaid.length)} characters it is larger than Mermaid draws (${count(MERMAID_LIMIT)}).`
      : undefined);
  const services = topology.containers.some((c) => c.kind === 'service');
  return {
    heading: ['### Topology after the change', ''],
    header: [],
    items: why
      ? [why, '']
      : [
          '```mermaid',
          mermaid,
          '```',
          '',
          'Networks are boxes; a container on several networks appears in each, with the aliases it answers to there ' +
            'and the ports it publishes on the host' +
            (engines ? ', and the engine it is on (a Swarm service: the manager it is created through)' : '') +
            '. ' +
            (services ? 'A Swarm service shows its tasks, and how it publishes: through the ingress routing mesh or in host mode. ' : '') +
            'Marks: `+` created, `~` updated in place, `±` replaced, `-` deleted.',
          '',
        ],
    footer: [],
  };
}

/** `65,536`. */
function count(n: number): string {
  return n.toLocaleString('en-US');
}

export interface CommentOptions {
  /** The most one comment holds. @default COMMENT_LIMIT */
  readonly limit?: number;
  /** Where the whole review can be read as one file (the workflow run that keeps it as an artifact). */
  readonly fullReviewUrl?: string;
}

/**
 * The review as pull-request comments, each at most `limit` characters: one comment where the review fits, as
 * `renderMarkdown` renders it. A larger review keeps in the first comment the counts, the riskiest consequences
 * (deletions, replacements, pairs that become reachable, new policy findings) and the picture, or why the picture is
 * left out; the further comments, numbered, hold every change, finding and pair, tables split between rows with
 * their head repeated.
 */
export function renderComments(review: Review, options: CommentOptions = {}): string[] {
  const limit = options.limit ?? COMMENT_LIMIT;
  const whole = renderMarkdown(review);
  if (whole.length <= limit) return [whole];

  // The further comments first: the first one says how many there are.
  const widest = head(review, { number: 9999, of: 9999 }).join('\n').length + 1;
  const rest = packSections(detailSections(review), limit - widest);
  const of = rest.length + 1;
  const parts = rest.map((lines, i) => [...head(review, { number: i + 2, of }), ...lines].join('\n'));

  const intro = [
    ...head(review, { number: 1, of }),
    `This review takes ${of} comments (${count(whole.length)} characters; a comment holds ${count(limit)}): this one has the ` +
      `counts, the riskiest changes and the picture; ${of === 2 ? 'comment 2 lists' : `comments 2 to ${of} list`} every change, ` +
      'what it does on the engine, and every policy finding and reachable pair that changes.' +
      (options.fullReviewUrl ? ` The whole review as one file: [the workflow run's artifact](${options.fullReviewUrl}).` : ''),
    '',
  ];
  const lines = (section: Section) => sectionLines(section).join('\n').length + 1;
  const fixed = intro.join('\n').length + 1;
  const engines = review.engines.length > 0;
  let picture = topologySection(review.after, engines);
  // The picture goes in where it leaves the riskiest changes RISKIEST_ROOM at least.
  if (fixed + lines(picture) + RISKIEST_ROOM > limit) {
    picture = topologySection(
      review.after,
      engines,
      `The picture is left out: at ${count(renderMermaid(review.after, engines).length)} characters it does not fit in this comment beside the counts and the riskiest changes.`,
    );
  }
  const riskiest = riskiestSection(review, limit - fixed - lines(picture), of);
  return [[...intro, ...sectionLines(riskiest), ...sectionLines(picture)].join('\n'), ...parts];
}

/** The room the first comment keeps for the riskiest changes, at least: the picture comes after them. */
const RISKIEST_ROOM = 12_000;

/** The longest consequence a line of the riskiest changes quotes. */
const RISKY_LINE = 240;

/** `text`, cut at a word before `max` characters and ended with `…` where it is longer. */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max).replace(/[ ,;:]+[^ ,;:]*$/, '');
  return `${cut} …`;
}

/**
 * The riskiest consequences, as many as `room` holds: deletions, replacements, pairs that become reachable and new
 * policy findings (not suppressed), then how many more the further comments list.
 */
function riskiestSection(review: Review, room: number, of: number): Section {
  // An object's first consequence, shortened: the further comments have it whole.
  const first = (c: ObjectChange) =>
    (c.forcedBy.length > 0 ? `, forced by ${c.forcedBy.map((f) => code(f.path)).join(', ')}` : '') +
    (c.consequences.length > 0 ? `: ${escape(shorten(c.consequences[0], RISKY_LINE))}` : '');
  const kinds: [string, string[]][] = [
    ['deletions', review.changes.filter((c) => c.action === 'delete').map((c) => `- **delete** ${c.kind} ${escape(c.name)}${first(c)}`)],
    ['replacements', review.changes.filter((c) => c.action === 'replace').map((c) => `- **replace** ${c.kind} ${escape(nameOf(c))}${first(c)}`)],
    [
      'pairs that become reachable',
      review.reachability.added.map((p) => `- ${escape(p.a)} and ${escape(p.b)} become reachable over ${escape(p.networks.join(', '))}`),
    ],
    [
      'new policy findings',
      review.findings.added
        .filter((f) => f.suppressedBecause === undefined)
        .map((f) => `- new finding ${f.ruleId} ${f.ruleName} (${f.level}) on ${escape(f.container)}: ${escape(f.problem)}`),
    ],
  ];
  const heading = ['### The riskiest changes', ''];
  // Room for the note at the end (`- and 99,999 more ...` for every kind). Each kind first gets its share of the
  // room, then the kinds in order take what the others left.
  const available = room - (heading.join('\n').length + 1) - 400;
  const shown = kinds.map(() => 0);
  const taken = kinds.map(() => 0);
  let used = 0;
  for (const share of [Math.floor(available / kinds.length), available]) {
    kinds.forEach(([, list], k) => {
      while (shown[k] < list.length) {
        const next = list[shown[k]].length + 1;
        if (used + next > available || taken[k] + next > share) break;
        shown[k]++;
        taken[k] += next;
        used += next;
      }
    });
  }
  const items = kinds.flatMap(([, list], k) => list.slice(0, shown[k]));
  const left = kinds.flatMap(([kind, list], k) => (shown[k] < list.length ? [`${count(list.length - shown[k])} more ${kind}`] : []));
  if (items.length === 0 && left.length === 0) items.push('No deletion, replacement, newly reachable pair or new policy finding.');
  if (left.length > 0) items.push(`- and ${left.join(', ')}: every one is in ${of === 2 ? 'comment 2' : `comments 2 to ${of}`}`);
  return { heading, header: [], items, footer: [''] };
}

/**
 * The sections' lines packed into comments of at most `room` characters each: between items, a table's head
 * repeated where its rows go on, a section's heading marked `(continued)`. An item longer than a comment is cut
 * between list entries or words, its pieces marked `(continued)`.
 */
function packSections(sections: Section[], room: number): string[][] {
  const parts: string[][] = [];
  let current: string[] = [];
  let size = 0;
  const add = (line: string) => {
    current.push(line);
    size += line.length + 1;
  };
  const close = () => {
    if (current.length > 0) parts.push(current);
    current = [];
    size = 0;
  };
  for (const section of sections) {
    const opening = [...section.heading, ...section.header];
    const continued = [...section.heading.map((h) => (h.startsWith('#') ? `${h} (continued)` : h)), ...section.header];
    const openingSize = opening.join('\n').length + 1;
    const firstItem = section.items[0] ?? '';
    if (size > 0 && size + openingSize + firstItem.length + 1 > room) close();
    opening.forEach(add);
    for (const item of section.items.flatMap((i) => cut(i, room - openingSize - 64))) {
      if (size + item.length + 1 > room) {
        close();
        continued.forEach(add);
      }
      add(item);
    }
    // The blank line that ends a section, where the comment has room for it (a full one ends there anyway).
    for (const line of section.footer) if (size + line.length + 1 <= room) add(line);
  }
  close();
  return parts;
}

/** `item` in pieces of at most `room` characters, cut at line ends, then at `, ` or spaces. */
function cut(item: string, room: number): string[] {
  if (item.length <= room) return [item];
  const pieces: string[] = [];
  let rest = item;
  while (rest.length > room) {
    const window = rest.slice(0, room);
    const line = window.lastIndexOf('\n');
    if (line > 0) {
      pieces.push(rest.slice(0, line));
      rest = rest.slice(line + 1);
      continue;
    }
    const at = Math.max(window.lastIndexOf(', ') + 1, window.lastIndexOf(' '));
    const end = at > 0 ? at : room;
    pieces.push(rest.slice(0, end));
    rest = `  - (continued) ${rest.slice(end).trimStart()}`;
  }
  pieces.push(rest);
  return pieces;
}

const MARK: Record<Action, string> = { create: '+ ', update: '~ ', replace: '± ', delete: '- ', forget: '- ', none: '' };
const CLASS: Record<Action, string | undefined> = {
  create: 'created',
  update: 'updated',
  replace: 'replaced',
  delete: 'deleted',
  forget: 'deleted',
  none: undefined,
};

/**
 * A Mermaid flowchart: one subgraph a network, one node a container on it with its aliases there and its published
 * ports; with `engines`, each network and container says which engine it is on.
 */
export function renderMermaid(topology: Topology, engines = false): string {
  const on = (object: { engine?: string }) => `on ${engineName(object.engine)}`;
  const lines = ['flowchart TB'];
  const ids = new Map<string, string>();
  const id = (key: string) => {
    if (!ids.has(key)) ids.set(key, `n${ids.size}`);
    return ids.get(key)!;
  };
  const styled: [string, Action][] = [];

  const containerNode = (c: ContainerModel, network: string, aliases: string[]) => {
    const nodeId = id(`container ${c.address} on ${network}`);
    const action = actionOn(topology, c.address);
    const parts = [`${MARK[action]}${c.name}`];
    if (c.swarm) parts.push(c.swarm.mode === 'global' ? 'service, one task a node' : `service, ${tasks(c.swarm.replicas)}`);
    if (engines && c.engine !== undefined) parts.push(on(c));
    if (aliases.length > 0) parts.push(`aliases: ${aliases.join(', ')}`);
    for (const p of c.ports) {
      const mode = p.publishMode ? (p.publishMode === 'host' ? ' (host mode)' : ' (ingress)') : '';
      parts.push(`published ${p.ip ?? '0.0.0.0'}:${p.external ?? '(any)'} → ${p.internal}/${p.protocol}${mode}`);
    }
    lines.push(`    ${nodeId}["${label(parts.join('<br/>'))}"]`);
    if (CLASS[action]) styled.push([nodeId, action]);
    return nodeId;
  };

  // A network is one box by its name; with engines, by its name on its engine (two engines may have one name each).
  const boxOf = (name: string, engine: string | undefined) => (engines ? `${name} ${engine}` : name);
  const attachmentBox = (c: ContainerModel, a: ContainerModel['networks'][number]) => boxOf(a.networkName, a.network?.engine ?? c.engine);
  const boxes = new Map<string, string>(); // box -> the network's name
  const addBox = (box: string, name: string) => (boxes.has(box) ? undefined : boxes.set(box, name));
  topology.networks.forEach((n) => addBox(boxOf(n.name, n.engine), n.name));
  topology.containers.forEach((c) => c.networks.forEach((a) => addBox(attachmentBox(c, a), a.networkName)));
  for (const [box, name] of boxes) {
    const network = topology.networks.find((n) => boxOf(n.name, n.engine) === box);
    const action = network ? actionOn(topology, network.address) : 'none';
    const notes = [
      network?.driver === 'overlay' ? 'overlay' : undefined,
      engines && network ? on(network) : undefined,
      network?.external ? 'read, not managed' : undefined,
      network?.isolated ? 'members isolated (enable_icc=false)' : undefined,
      network?.internal ? 'internal' : undefined,
      ...(network?.subnets ?? []),
    ].filter(Boolean);
    const netId = id(`network ${box}`);
    lines.push(`  subgraph ${netId}["${label(`${MARK[action]}network ${name}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`)}"]`);
    if (CLASS[action]) styled.push([netId, action]);
    const members = topology.containers.filter((c) => c.networks.some((a) => attachmentBox(c, a) === box));
    for (const c of members) containerNode(c, box, c.networks.find((a) => attachmentBox(c, a) === box)!.aliases);
    if (members.length === 0) lines.push(`    ${id(`empty ${box}`)}[" "]:::empty`);
    lines.push('  end');
  }
  const bridged = topology.containers.filter((c) => c.kind === 'container' && c.networks.length === 0);
  // Each engine has a default bridge of its own.
  for (const engine of [...new Set(bridged.map((c) => (engines ? c.engine : undefined)))]) {
    const where = engines && engine !== undefined ? ` ${on({ engine })}` : '';
    lines.push(`  subgraph ${id(`bridge${where}`)}["${label(`${DEFAULT_BRIDGE} (Docker's default${where}, by IP only)`)}"]`);
    for (const c of bridged.filter((x) => !engines || x.engine === engine)) containerNode(c, `${DEFAULT_BRIDGE}${where}`, []);
    lines.push('  end');
  }
  // A service with no network of its own is on no bridge: on the swarm's ingress network where it publishes a port.
  const unattached = topology.containers.filter((c) => c.kind === 'service' && c.networks.length === 0);
  if (unattached.length > 0) {
    lines.push(`  subgraph ${id('no network')}["services on no network of the stack"]`);
    for (const c of unattached) containerNode(c, '', []);
    lines.push('  end');
  }
  lines.push(
    '  classDef created stroke:#2da44e,stroke-width:3px',
    '  classDef updated stroke:#bf8700,stroke-width:3px',
    '  classDef replaced stroke:#cf222e,stroke-width:3px,stroke-dasharray:6 3',
    '  classDef deleted stroke:#cf222e,stroke-width:2px,color:#cf222e,stroke-dasharray:2 2',
    '  classDef empty fill:none,stroke:none',
  );
  for (const [nodeId, action] of styled) lines.push(`  class ${nodeId} ${CLASS[action]}`);
  return lines.join('\n');
}

/** `2 tasks`, `1 task`, `tasks`. */
function tasks(replicas: number | undefined): string {
  return replicas === undefined ? 'tasks' : `${replicas} ${replicas === 1 ? 'task' : 'tasks'}`;
}

/** Text inside a quoted Mermaid label. */
function label(text: string): string {
  return text.replace(/"/g, '#quot;');
}

/** A table cell: plain text, or Markdown already escaped (`markdown: true`). */
function cell(text: string, markdown = false): string {
  return (markdown ? text : escape(text)).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Markdown text that shows as written (no emphasis, no HTML). */
function escape(text: string): string {
  return text.replace(/[<>]/g, (ch) => (ch === '<' ? '&lt;' : '&gt;')).replace(/([*_`])/g, '\\$1');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}
