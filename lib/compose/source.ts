import * as fs from 'fs';
import * as path from 'path';
import type { Node } from 'yaml';
import { parseWithoutPositions } from './fast-parse';

/** Where a value of a compose file was written. */
export interface SourceLocation {
  /** The file, as messages show it: relative to the working directory when inside it. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
}

/**
 * The location of each entry of a mapping or sequence read from a compose file, kept beside the plain value (a
 * WeakMap, so the value stays what `JSON.stringify` and the schema see). Merging carries the locations over.
 */
const ENTRIES = new WeakMap<object, Map<string | number, SourceLocation>>();

/** Values written with `!override`: an override file replaces them instead of merging into them. */
const OVERRIDDEN = new WeakSet<object>();

/** Keys a mapping resets with `!reset`: an override file removes them from what it merges into. */
const RESET = new WeakMap<object, Set<string>>();

/** A thrown problem of a compose file; the caller (construct or CLI) turns it into its error. */
export type Fail = (message: string) => never;

export function locationOf(container: object, key: string | number): SourceLocation | undefined {
  return ENTRIES.get(container)?.get(key);
}

export function setLocation(container: object, key: string | number, location: SourceLocation | undefined): void {
  if (location === undefined) return;
  let entries = ENTRIES.get(container);
  if (!entries) ENTRIES.set(container, (entries = new Map()));
  entries.set(key, location);
}

/** Copies the locations of `from`'s entries to the same keys of `to`, and the keys it resets. */
export function copyLocations(from: object, to: object): void {
  ENTRIES.get(from)?.forEach((location, key) => setLocation(to, key, location));
  const reset = RESET.get(from);
  if (reset) RESET.set(to, new Set(reset));
}

export function isOverridden(value: unknown): boolean {
  return typeof value === 'object' && value !== null && OVERRIDDEN.has(value);
}

export function markOverridden(value: unknown): void {
  if (typeof value === 'object' && value !== null) OVERRIDDEN.add(value);
}

export function resetKeys(container: object): Set<string> {
  return RESET.get(container) ?? new Set();
}

/**
 * Whether reads skip the lines. The `yaml` library's parse, which gives them, costs most of what reading a compose
 * file costs (about 0.25 s of a 3000-line file); only a message needs them. `withPositionsOnDemand` reads without them,
 * and where a message needs one (`describeLocation` is where every message gets its file and line), reads again with
 * them.
 */
let positionsSkipped = false;

/** Thrown by `describeLocation` while the positions are skipped; caught by `withPositionsOnDemand`. */
const POSITIONS_NEEDED = Symbol('positions needed');

/**
 * Runs `read` (which reads compose files and may describe locations) with the files read without positions; where
 * it describes one (an error, a refusal, a warning that names a line), runs it again with them, so that each message
 * is what a read with positions makes. `read` must have no effect but its result.
 */
export function withPositionsOnDemand<T>(read: () => T): T {
  positionsSkipped = true;
  try {
    return read();
  } catch (error) {
    if (error !== POSITIONS_NEEDED) throw error;
  } finally {
    positionsSkipped = false;
  }
  return read();
}

/** `docker-compose.yml:12`, or just the file where the line is not known. */
export function describeLocation(location: SourceLocation | undefined): string {
  if (positionsSkipped) throw POSITIONS_NEEDED;
  return location ? `${location.file}:${location.line}` : '(unknown place)';
}

/** How messages name a file: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

export type ComposeValue = Record<string, any>;

/**
 * Reads one compose file into plain values, with the line of every entry (inside `withPositionsOnDemand`, without
 * them, by `parseWithoutPositions`, where it can read the file). Anchors, aliases and merge keys (`<<`) are resolved
 * as YAML defines them; `!reset` and `!override` are recorded for the merge of override files.
 */
export function readComposeFile(file: string, fail: Fail): ComposeValue {
  const shown = displayPath(file);
  if (!fs.existsSync(file)) fail(`compose file ${shown} does not exist; check \`files\` (relative paths start at the working directory).`);
  const text = fs.readFileSync(file, 'utf8');
  return (positionsSkipped ? parseWithoutPositions(text) : undefined) ?? parseComposeText(text, shown, fail);
}

function parseComposeText(text: string, shown: string, fail: Fail): ComposeValue {
  // Loaded on first use: a program that reads no compose file does not pay for the YAML library.
  const { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } = require('yaml') as typeof import('yaml');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (node: Node | null | undefined) =>
    node?.range ? { file: shown, line: lineCounter.linePos(node.range[0]).line } : { file: shown, line: 1 };
  const [error] = doc.errors;
  if (error) {
    fail(`${shown}:${lineCounter.linePos(error.pos[0]).line}: not valid YAML: ${error.message.split('\n')[0]}`);
  }
  const toValue = (node: unknown, seen: Set<unknown>): unknown => {
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (seen.has(target)) fail(`${describeLocation(lineOf(node))}: the alias *${node.source} refers to itself; break the cycle.`);
      return toValue(target, new Set([...seen, target]));
    }
    if (isScalar(node)) {
      // YAML 1.1's octal (0644), which compose's parser keeps for file modes; YAML 1.2 would read it as decimal.
      const source = (node as { source?: string }).source;
      if (typeof node.value === 'number' && node.type === 'PLAIN' && source && /^0[0-7]+$/.test(source)) return parseInt(source, 8);
      return node.value;
    }
    if (isSeq(node)) {
      const list: unknown[] = [];
      node.items.forEach((item) => {
        setLocation(list, list.length, lineOf(item as Node));
        list.push(withTags(item as Node, toValue(item, seen)));
      });
      return list;
    }
    if (isMap(node)) {
      const map: ComposeValue = {};
      const merged: unknown[] = [];
      for (const pair of node.items) {
        const keyNode = pair.key as Node;
        const key = String(isScalar(keyNode) ? keyNode.value : toValue(keyNode, seen));
        const valueNode = pair.value as Node | null;
        if (key === '<<') {
          merged.push(...(isSeq(valueNode) ? valueNode.items : [valueNode]));
          continue;
        }
        setLocation(map, key, lineOf(keyNode));
        if ((valueNode as { tag?: string } | null)?.tag === '!reset') {
          let keys = RESET.get(map);
          if (!keys) RESET.set(map, (keys = new Set()));
          keys.add(key);
          continue;
        }
        map[key] = valueNode === null ? null : withTags(valueNode, toValue(valueNode, seen));
      }
      // Merge keys give what the mapping does not set itself; an earlier source wins over a later one.
      for (const source of merged) {
        const value = toValue(source, seen);
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          fail(`${describeLocation(lineOf(source as Node))}: a merge key (<<) takes a mapping or a list of mappings.`);
        }
        for (const [key, entry] of Object.entries(value as ComposeValue)) {
          if (key in map) continue;
          map[key] = entry;
          setLocation(map, key, locationOf(value as object, key));
        }
      }
      return map;
    }
    return node ?? null;
  };
  const root = toValue(doc.contents, new Set());
  if (root === null || root === undefined) return {};
  if (typeof root !== 'object' || Array.isArray(root)) fail(`${shown}:1: a compose file is a mapping (services:, networks:, ...).`);
  return root as ComposeValue;
}

function withTags(node: Node, value: unknown): unknown {
  if ((node as { tag?: string }).tag === '!override') markOverridden(value);
  return value;
}
