import { IConstruct } from 'constructs';
import { ValidationError, isKnown } from '../core/errors';
import { Size } from '../core/size';
import { validateContainerPath } from './container-path';

/**
 * A Linux capability, as `docker run --cap-add/--cap-drop` names it (without the `CAP_` prefix).
 * `ALL` stands for every capability: drop `ALL`, then add back the few a service needs.
 */
export enum Capability {
  ALL = 'ALL',
  AUDIT_CONTROL = 'AUDIT_CONTROL',
  AUDIT_READ = 'AUDIT_READ',
  AUDIT_WRITE = 'AUDIT_WRITE',
  BLOCK_SUSPEND = 'BLOCK_SUSPEND',
  BPF = 'BPF',
  CHECKPOINT_RESTORE = 'CHECKPOINT_RESTORE',
  CHOWN = 'CHOWN',
  DAC_OVERRIDE = 'DAC_OVERRIDE',
  DAC_READ_SEARCH = 'DAC_READ_SEARCH',
  FOWNER = 'FOWNER',
  FSETID = 'FSETID',
  IPC_LOCK = 'IPC_LOCK',
  IPC_OWNER = 'IPC_OWNER',
  KILL = 'KILL',
  LEASE = 'LEASE',
  LINUX_IMMUTABLE = 'LINUX_IMMUTABLE',
  MAC_ADMIN = 'MAC_ADMIN',
  MAC_OVERRIDE = 'MAC_OVERRIDE',
  MKNOD = 'MKNOD',
  NET_ADMIN = 'NET_ADMIN',
  NET_BIND_SERVICE = 'NET_BIND_SERVICE',
  NET_BROADCAST = 'NET_BROADCAST',
  NET_RAW = 'NET_RAW',
  PERFMON = 'PERFMON',
  SETFCAP = 'SETFCAP',
  SETGID = 'SETGID',
  SETPCAP = 'SETPCAP',
  SETUID = 'SETUID',
  SYS_ADMIN = 'SYS_ADMIN',
  SYS_BOOT = 'SYS_BOOT',
  SYS_CHROOT = 'SYS_CHROOT',
  SYS_MODULE = 'SYS_MODULE',
  SYS_NICE = 'SYS_NICE',
  SYS_PACCT = 'SYS_PACCT',
  SYS_PTRACE = 'SYS_PTRACE',
  SYS_RAWIO = 'SYS_RAWIO',
  SYS_RESOURCE = 'SYS_RESOURCE',
  SYS_TIME = 'SYS_TIME',
  SYS_TTY_CONFIG = 'SYS_TTY_CONFIG',
  SYSLOG = 'SYSLOG',
  WAKE_ALARM = 'WAKE_ALARM',
}

/** Capabilities taken from and given to a container (`--cap-drop`, `--cap-add`). Docker applies drops first. */
export interface Capabilities {
  /**
   * Capabilities removed from Docker's default set; `Capability.ALL` removes every one.
   * @default - none: the container keeps Docker's default set (CHOWN, SETUID, NET_RAW, ...)
   */
  readonly drop?: Capability[];

  /**
   * Capabilities added, typically after dropping `ALL`, e.g. `NET_BIND_SERVICE` for a root process on port 80.
   * @default - none
   */
  readonly add?: Capability[];
}

/** A tmpfs mounted into the container (`--tmpfs PATH:size=...`): scratch space for a read-only root filesystem. */
export interface TmpfsMount {
  /** Absolute path inside the container, e.g. `/tmp`. */
  readonly path: string;

  /**
   * Upper bound of the memory the tmpfs may use.
   * @default Size.mebibytes(64)
   */
  readonly size?: Size;

  /**
   * The mount's file mode in octal, e.g. `'1777'` (everyone may write, only owners delete: what `/tmp` needs).
   * @default - 1777 on a path the image does not have; over a directory of the image, that directory's mode
   */
  readonly mode?: string;

  /**
   * Owner of the mount, for a service that runs as its own user (e.g. 999 for redis) and writes there.
   * @default - root
   */
  readonly uid?: number;

  /**
   * Group of the mount.
   * @default - root
   */
  readonly gid?: number;
}

/** The provider's `tmpfs` map: path to mount options. */
/** @internal */
export function toProviderTmpfs(scope: IConstruct, mounts: TmpfsMount[] | undefined): Record<string, string> | undefined {
  if (mounts === undefined || mounts.length === 0) return undefined;
  const result: Record<string, string> = {};
  for (const mount of mounts) {
    validateContainerPath(scope, 'tmpfs path', mount.path, '/tmp');
    if (mount.path in result) {
      throw new ValidationError(scope, `tmpfs path "${mount.path}" is mounted twice; keep one entry.`);
    }
    if (mount.mode !== undefined && !/^[0-7]{3,4}$/.test(mount.mode)) {
      throw new ValidationError(scope, `tmpfs mode "${mount.mode}" for ${mount.path} is not an octal file mode; write it like "1777".`);
    }
    for (const [field, id] of [['uid', mount.uid], ['gid', mount.gid]] as const) {
      if (id !== undefined && isKnown(id) && !(Number.isInteger(id) && id >= 0)) {
        throw new ValidationError(scope, `tmpfs ${field} ${id} for ${mount.path} is not a user or group id; use a whole number >= 0.`);
      }
    }
    const options = [`size=${(mount.size ?? Size.mebibytes(64)).toMebibytes()}m`];
    if (mount.mode !== undefined) options.push(`mode=${mount.mode}`);
    if (mount.uid !== undefined) options.push(`uid=${mount.uid}`);
    if (mount.gid !== undefined) options.push(`gid=${mount.gid}`);
    result[mount.path] = options.join(',');
  }
  return result;
}

/**
 * The provider's `capabilities` block. The provider reads capabilities back as `CAP_NET_BIND_SERVICE`; writing that
 * form keeps the plan empty after a deploy.
 * @internal
 */
export function toProviderCapabilities(capabilities: Capabilities | undefined): { add: string[]; drop: string[] } | undefined {
  if (capabilities === undefined) return undefined;
  const kernelName = (c: string) => (c === Capability.ALL || c.startsWith('CAP_') ? c : `CAP_${c}`);
  return { add: (capabilities.add ?? []).map(kernelName), drop: (capabilities.drop ?? []).map(kernelName) };
}

/** The security option that stops processes from gaining privileges through setuid binaries or file capabilities. */
export const NO_NEW_PRIVILEGES = 'no-new-privileges:true';
