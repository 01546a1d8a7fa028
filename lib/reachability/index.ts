export { Reachability, REACH_UNDECLARED, REACH_UNREACHABLE, DEFAULT_BRIDGE } from './reachability';
export type { Reachable, DeclaredFlow, ReachablePair } from './reachability';
