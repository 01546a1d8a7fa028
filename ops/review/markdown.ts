/** The review as Markdown for a pull-request comment, with the topology after the change as a Mermaid diagram. */
import { ObjectChange, Review, engineName } from './review';
import { Action } from './plan';
import { ContainerModel, DEFAULT_BRIDGE } from '../../lib';
import { Topology, actionOn } from './topology';

/** The first line of every review comment: the workflow finds its own comment by it. */
export function reviewMarker(stack: string): string {
  return `<!-- cdktf-docker-review: ${stack} -->`;
}

const ACTION_WORDS: Record<ObjectChange['action'], string> = {
  create: 'create',
  update: 'update in place',
  replace: '**replace**',
  delete: '**delete**',
  forget: 'forget',
};

export function renderMarkdown(review: Review): string {
  const { counts } = review;
  const lines: string[] = [reviewMarker(review.stack), `## Docker review: stack \`${review.stack}\``, ''];
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
  const engines = review.engines.length > 0;
  if (engines) {
    const host = (e: Review['engines'][number]) => escape(e.host ?? "(the environment's DOCKER_HOST, else the local socket)");
    lines.push(`Engines: ${review.engines.map((e) => `${code(engineName(e.key))} ${host(e)}`).join('; ')}.`, '');
  }

  if (review.changes.length > 0) {
    lines.push(
      `| object | Docker name |${engines ? ' engine |' : ''} action | forced by |`,
      `| --- | --- |${engines ? ' --- |' : ''} --- | --- |`,
    );
    for (const c of review.changes) {
      const engine = engines ? ` ${cell(engineName(c.engine?.key))} |` : '';
      lines.push(`| ${c.kind} | ${cell(c.name)} |${engine} ${ACTION_WORDS[c.action]} | ${cell(c.forcedBy.map((f) => code(f.path)).join(', ') || '-', true)} |`);
    }
    lines.push('');
    lines.push(`### What happens on the ${engines ? 'engines' : 'engine'}`, '');
    for (const c of review.changes) {
      const on = engines && c.engine ? ` on ${escape(engineName(c.engine.key))}` : '';
      lines.push(`- **${c.kind} ${escape(c.name)}** (${ACTION_WORDS[c.action].replace(/\*/g, '')})${on}:`);
      for (const f of c.forcedBy) lines.push(`  - forced by ${code(f.path)}: ${escape(f.detail)}`);
      if (c.action === 'update' && c.changedAttributes.length > 0) lines.push(`  - changes ${c.changedAttributes.map(code).join(', ')}`);
      for (const consequence of c.consequences) lines.push(`  - ${escape(consequence)}`);
    }
    lines.push('');
  }

  lines.push('### Policy findings compared with what is deployed', '');
  const { added, removed } = review.findings;
  if (added.length === 0 && removed.length === 0) lines.push('No finding added or removed.');
  else {
    lines.push('| change | rule | level | container | finding | problem |', '| --- | --- | --- | --- | --- | --- |');
    for (const [what, list] of [['added', added], ['removed', removed]] as const) {
      for (const f of list) {
        const status = what === 'added' && f.suppressedBecause !== undefined ? ` (suppressed: ${f.suppressedBecause})` : '';
        lines.push(`| ${what} | ${f.ruleId} ${f.ruleName} | ${f.level} | ${cell(f.container)} | ${cell(f.findingId ?? '-')} | ${cell(f.problem + status)} |`);
      }
    }
  }
  lines.push('');

  lines.push('### Reachability compared with what is deployed', '');
  const pairs = review.reachability;
  if (pairs.added.length + pairs.removed.length + pairs.moved.length === 0) {
    lines.push('No pair of containers becomes or stops being reachable.');
  } else {
    lines.push('| change | containers | over |', '| --- | --- | --- |');
    for (const p of pairs.added) lines.push(`| become reachable | ${cell(p.a)} <-> ${cell(p.b)} | ${cell(p.networks.join(', '))} |`);
    for (const p of pairs.removed) lines.push(`| stop being reachable | ${cell(p.a)} <-> ${cell(p.b)} | ${cell(p.networks.join(', '))} (before) |`);
    for (const p of pairs.moved) {
      lines.push(`| stay reachable, over other networks | ${cell(p.a)} <-> ${cell(p.b)} | ${cell(p.after.join(', '))} (before: ${cell(p.before.join(', '))}) |`);
    }
  }
  lines.push('');

  lines.push('### Topology after the change', '', '```mermaid', renderMermaid(review.after, engines), '```', '');
  lines.push(
    'Networks are boxes; a container on several networks appears in each, with the aliases it answers to there ' +
      'and the ports it publishes on the host' +
      (engines ? ', and the engine it is on (a Swarm service: the manager it is created through)' : '') +
      '. ' +
      'Marks: `+` created, `~` updated in place, `±` replaced, `-` deleted.',
    '',
  );
  return lines.join('\n');
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
    if (engines && c.engine !== undefined) parts.push(on(c));
    if (aliases.length > 0) parts.push(`aliases: ${aliases.join(', ')}`);
    for (const p of c.ports) parts.push(`published ${p.ip ?? '0.0.0.0'}:${p.external ?? '(any)'} → ${p.internal}/${p.protocol}`);
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
  // A service with no network of its own is on the swarm's ingress network only, not on a bridge.
  const bridged = topology.containers.filter((c) => c.kind === 'container' && c.networks.length === 0);
  // Each engine has a default bridge of its own.
  for (const engine of [...new Set(bridged.map((c) => (engines ? c.engine : undefined)))]) {
    const where = engines && engine !== undefined ? ` ${on({ engine })}` : '';
    lines.push(`  subgraph ${id(`bridge${where}`)}["${label(`${DEFAULT_BRIDGE} (Docker's default${where}, by IP only)`)}"]`);
    for (const c of bridged.filter((x) => !engines || x.engine === engine)) containerNode(c, `${DEFAULT_BRIDGE}${where}`, []);
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
