import { IConstruct } from 'constructs';
import { Size } from './size';
import { ValidationError, isKnown } from './validation';

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
   * @default '1777' - Docker's default for a tmpfs
   */
  readonly mode?: string;
}

/** The provider's `tmpfs` map: path to mount options. */
/** @internal */
export function toProviderTmpfs(scope: IConstruct, mounts: TmpfsMount[] | undefined): Record<string, string> | undefined {
  if (mounts === undefined || mounts.length === 0) return undefined;
  const result: Record<string, string> = {};
  for (const mount of mounts) {
    if (isKnown(mount.path) && !mount.path.startsWith('/')) {
      throw new ValidationError(scope, `tmpfs path "${mount.path}" is not absolute; write it like "/tmp".`);
    }
    if (mount.path in result) {
      throw new ValidationError(scope, `tmpfs path "${mount.path}" is mounted twice; keep one entry.`);
    }
    if (mount.mode !== undefined && !/^[0-7]{3,4}$/.test(mount.mode)) {
      throw new ValidationError(scope, `tmpfs mode "${mount.mode}" for ${mount.path} is not an octal file mode; write it like "1777".`);
    }
    const options = [`size=${(mount.size ?? Size.mebibytes(64)).toMebibytes()}m`];
    if (mount.mode !== undefined) options.push(`mode=${mount.mode}`);
    result[mount.path] = options.join(',');
  }
  return result;
}

/** The security option that stops processes from gaining privileges through setuid binaries or file capabilities. */
export const NO_NEW_PRIVILEGES = 'no-new-privileges:true';
