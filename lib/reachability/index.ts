export { Reachability, REACH_UNDECLARED, REACH_UNREACHABLE, REACH_UNCOVERED, DEFAULT_BRIDGE } from './reachability';
export type { Reachable, DeclaredFlow, ReachablePair } from './reachability';
export { ReachabilityRule } from './rule';
export type { ModelReachablePair, NetworkMembers } from './rule';
