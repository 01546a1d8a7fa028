import { TerraformResource } from 'cdktf';
import { StackModel, ownerPath } from '../analysis/model';
import { ContainerModel } from '../analysis/model-types';
import { DeclaredFlow, ReachablePair, ReachablePairs } from './reachable-pairs';
import { DEFAULT_BRIDGE, NetworkMembers, ReachabilityRule } from './rule';

/** Longest list the report prints in full; longer ones end with a count of the rest. */
export const REPORT_LIST_LIMIT = 100;
/** Members named in one cell of the networks table. */
const MEMBERS_LIMIT = 50;

/** What the report of one stack shows. */
export interface ReachabilityReportData {
  readonly stack: string;
  readonly model: StackModel;
  readonly reach: ReachablePairs;
  readonly flows: readonly DeclaredFlow[];
  readonly violations: readonly { message: string }[];
  /** True when the stack declares some intent: a flow, or `enforceEverywhere()`. */
  readonly declared: boolean;
  /** True when every container is checked against the intent (`enforceEverywhere()`). */
  readonly everywhere: boolean;
}

/** At most `limit` items, then one line with how many were left out. */
function capped<T>(items: readonly T[], render: (item: T) => string, more: (rest: number) => string, limit = REPORT_LIST_LIMIT): string[] {
  const lines = items.slice(0, limit).map(render);
  if (items.length > limit) lines.push(more(items.length - limit));
  return lines;
}

function memberList(entries: string[]): string {
  const shown = entries.slice(0, MEMBERS_LIMIT).join('; ');
  return entries.length > MEMBERS_LIMIT ? `${shown}; ... and ${entries.length - MEMBERS_LIMIT} more` : shown;
}

/** The names `to` answers to on the networks it shares with `from`. */
function namesOf(to: ContainerModel, networks: string[]): string[] {
  if (networks.every((n) => n === DEFAULT_BRIDGE)) return ['(by IP only: names do not resolve on the default bridge)'];
  return ReachabilityRule.namesOn(to, networks);
}

/** `bridge (Docker's default)`, with the engine where it is not the default one: each engine has its own. */
function defaultBridgeLabel(network: NetworkMembers): string {
  return `${DEFAULT_BRIDGE} (Docker's default${network.engine ? ` on ${network.engine}` : ''})`;
}

/** One line a network: everyone on it reaches everyone else, so the pairs are not listed one by one. */
function reachOn(network: NetworkMembers): string {
  const { name, members } = network;
  const label = network.defaultBridge ? defaultBridgeLabel(network) : name;
  if (network.isolated) return `- ${label}: nobody; its bridge drops traffic between its ${members.length} member(s) (enable_icc=false).`;
  if (members.length === 1) return `- ${label}: only ${members[0].name}, nobody to reach.`;
  const who = members.length === 2 ? `${members[0].name} and ${members[1].name}` : `all ${members.length} members`;
  const how = network.defaultBridge ? 'by IP on every port (names do not resolve there)' : 'on every port';
  return `- ${label}: ${who} reach each other ${how}.`;
}

/**
 * What the report says of the declared intent: nothing checked, or the flows and whether the topology matches them,
 * never "matches" for containers it does not cover.
 */
function intentLine(data: ReachabilityReportData, uncovered: number): string {
  if (!data.declared) {
    return (
      'Declared intent: none. Nothing is checked: no pair of containers is compared with an intent. Declare the flows ' +
      'the stack needs with `Reachability.of(stack).allow(from, to)`; `enforceEverywhere()` then fails every reachable ' +
      'pair without one.'
    );
  }
  const { flows, violations, model } = data;
  const counts = `${flows.filter((f) => f.needed).length} needed, ${flows.filter((f) => !f.needed).length} tolerated`;
  const mode = data.everywhere ? ', enforced everywhere' : '';
  const coverage = `it covers ${model.containers.length - uncovered} of ${model.containers.length} containers (${uncovered} not checked, see "Not checked" below)`;
  if (violations.length > 0) {
    return `Declared intent: ${counts}${mode}; ${violations.length} violation(s), see below${uncovered > 0 ? `; ${coverage}` : ''}.`;
  }
  if (uncovered > 0) return `Declared intent: ${counts}${mode}; the pairs it checks match it, but ${coverage}.`;
  return `Declared intent: ${counts}${mode}; the topology matches it.`;
}

/**
 * The reachability report, as Markdown. Its size grows with the containers and the declared flows, never with the
 * pairs: each network is one line ("all 1000 members reach each other"), and pairs are listed only where they
 * carry information (declared flows, undeclared pairs where intent is enforced), each list capped with a count.
 */
export function renderReachabilityReport(data: ReachabilityReportData): string {
  const { model, reach, violations } = data;
  const nameOf = (r: TerraformResource) => model.containerOf(r)?.name ?? r.node.path;
  const lines: string[] = [`# Reachability: stack ${data.stack}`, ''];
  lines.push(
    'Containers that share a user-defined network reach each other on every port, in both directions; Docker does',
    'not filter by port or direction. A network with `com.docker.network.bridge.enable_icc=false` only publishes',
    "ports and connects nobody. Names are what Docker's embedded DNS answers on that network.",
    'A Swarm service reaches every member of its overlay networks from any node, and answers to its name and to',
    '`tasks.<name>` (every task); an overlay network has no switch to separate its members.',
    '',
  );
  const uncovered = data.declared ? reach.uncovered() : [];
  lines.push(intentLine(data, uncovered.length), '');

  lines.push('## Networks', '', '| network | members (names they answer to) | traffic between members |', '| --- | --- | --- |');
  for (const network of reach.networks) {
    if (network.defaultBridge) {
      lines.push(`| ${defaultBridgeLabel(network)} | ${memberList(network.members.map((c) => c.name))} | allowed, by IP only |`);
      continue;
    }
    const entries = network.members.map((c) => {
      const names = c.networks.filter((n) => n.networkName === network.name).flatMap((n) => n.names);
      return `${c.name} (${[...new Set(names)].join(', ')})`;
    });
    lines.push(`| ${network.name} | ${memberList(entries)} | ${network.isolated ? 'blocked (enable_icc=false)' : 'allowed'} |`);
  }
  const unmodelled = new Map<string, string[]>();
  for (const c of model.containers.filter((x) => x.networks.length === 0 && !x.onDefaultBridge)) {
    const mode = String(c.networkMode);
    unmodelled.set(mode, [...(unmodelled.get(mode) ?? []), c.name]);
  }
  for (const [mode, names] of unmodelled) lines.push(`| network_mode ${mode} | ${memberList(names)} | not modelled |`);
  lines.push('');

  lines.push('## Who reaches whom', '');
  if (reach.networks.length === 0) lines.push('No two containers share a network.');
  lines.push(...reach.networks.map(reachOn), '');

  const declared = reach.declared();
  const undeclared = reach.undeclared();
  const listed = reach.inStackOrder([...declared, ...undeclared]);
  if (listed.length > 0) {
    lines.push('Pairs with a declared flow, and pairs that need one and have none:', '', '| from | to | over | as | intent |', '| --- | --- | --- | --- | --- |');
    const row = (pair: ReachablePair) => {
      const flow = pair.flow;
      const [from, to] = flow && flow.from !== pair.a.resource ? [pair.b, pair.a] : [pair.a, pair.b];
      const intentOf = !flow
        ? '**undeclared**'
        : flow.needed
          ? `needed (${nameOf(flow.from)} -> ${nameOf(flow.to)})`
          : `excess (tolerated: ${flow.reason})`;
      return `| ${from.name} | ${to.name} | ${pair.networks.join(', ')} | ${namesOf(to, pair.networks).join(', ')} | ${intentOf} |`;
    };
    lines.push(...capped(listed, row, (rest) => `\n... and ${rest} more pair(s) (${declared.length} declared, ${undeclared.length} undeclared in all).`));
    lines.push('');
  }

  const excess = declared.filter((p) => !p.flow!.needed);
  lines.push('## Excess: allowed by the topology, not needed', '');
  if (excess.length === 0 && undeclared.length === 0) lines.push('None.');
  lines.push(
    ...capped(
      [...excess, ...undeclared],
      (p) => `- ${p.a.name} <-> ${p.b.name} over ${p.networks.join(', ')}: ${p.flow ? p.flow.reason : 'undeclared'}`,
      (rest) => `- ... and ${rest} more (${excess.length} tolerated, ${undeclared.length} undeclared in all).`,
    ),
  );
  lines.push('');

  if (uncovered.length > 0) {
    lines.push(
      '## Not checked: outside the declared intent',
      '',
      'Declared intent applies inside the innermost construct that holds both containers of a flow, never to the stack',
      'as a whole. These containers lie outside every such construct, so a flow of theirs that nobody declared passes;',
      '`Reachability.of(stack).enforceEverywhere()` checks them.',
      '',
      ...capped(
        uncovered,
        (c) => `- ${c.name} (${ownerPath(c.resource!)})`,
        (rest) => `- ... and ${rest} more (${uncovered.length} not checked in all).`,
      ),
      '',
    );
  }

  lines.push('## Violations of the declared intent', '');
  if (violations.length === 0) lines.push('None.');
  lines.push(
    ...capped(
      violations,
      (v) => `- ${v.message}`,
      (rest) => `- ... and ${rest} more (${violations.length} in all; each is an error annotation on its container).`,
    ),
  );
  lines.push('');
  return lines.join('\n');
}
