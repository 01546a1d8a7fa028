import { PolicyLevel } from '../level';
import { IPolicyRule } from '../rule';
import { hostMounts, normalizePath } from './mounts';

/** The socket itself, or a directory that holds it. */
const SOCKET_PATHS = ['/var/run/docker.sock', '/run/docker.sock', '/var/run', '/run'];

/** DKR3: the Docker socket lets the container start a privileged container: root on the host, even read-only. */
export const DKR3_DOCKER_SOCKET: IPolicyRule = {
  id: 'DKR3',
  name: 'docker-socket',
  level: PolicyLevel.ERROR,
  fix: 'do not mount the Docker socket; if a tool must talk to the engine, put a filtering socket proxy in front of it',
  evaluate: (c) =>
    hostMounts(c)
      .filter((m) => SOCKET_PATHS.includes(normalizePath(m.hostPath)) || m.hostPath.endsWith('/docker.sock'))
      .map((m) => ({ findingId: m.hostPath, problem: `the host path ${m.hostPath}, which holds the Docker socket, is mounted at ${m.containerPath}` })),
};
