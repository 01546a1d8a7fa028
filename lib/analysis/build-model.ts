/**
 * The one translation of the provider's attributes into the model: from the objects of a Terraform JSON document, or
 * of one side of a plan put in a document's terms (plan-values.ts), to networks, workloads, volumes, secrets and
 * images.
 */
import type { TerraformResource } from 'cdktf';
import { ENABLE_ICC_OPTION } from '../core/docker-options';
import {
  ContainerModel,
  DockerModelParts,
  EngineModel,
  ImageModel,
  MountModel,
  NetworkAttachmentModel,
  NetworkModel,
  PublishedPortModel,
  SecretModel,
  VolumeModel,
  WorkloadKind,
} from './model-types';
import { serviceAsContainer, servicePorts, swarmSpec } from './service-terms';
import {
  asArray,
  isLiteral,
  labelRecord,
  leadingAddress,
  numberOrUndefined,
  referencedAddress,
  resolveReference,
  stringOrUndefined,
} from './values';

/** One object of a document or of a plan, with its attributes in a document's terms (references as `${...}`). */
export interface ObjectEntry {
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly values: Record<string, any>;
  /** The provider configuration it is on (`docker`, `docker.<alias>`); undefined where the source does not say. */
  readonly provider?: string;
}

/** A workload of a stack under synth: its document entry and its construct. */
export interface WorkloadConstruct {
  readonly entry: ObjectEntry;
  readonly resource: TerraformResource;
}

export interface BuildOptions {
  /**
   * The engines the source configures (its provider blocks).
   * @default - none: only those the objects are on, without hosts
   */
  readonly engines?: readonly EngineModel[];

  /**
   * The workloads of the model, in this order, with their constructs (a workload whose Docker name is known only at
   * apply time is named by its construct path).
   * @default - every `docker_container` and `docker_service` of the entries, in their order
   */
  readonly workloads?: readonly WorkloadConstruct[];
}

/**
 * The empty list every workload without ports, mounts, dependencies or aliases shares: a model is read, not changed,
 * and a stack may have thousands of workloads.
 */
const NONE: never[] = Object.freeze([]) as never[];

/** `list`, or the shared empty list. */
function listOf<T>(list: T[]): T[] {
  return list.length > 0 ? list : NONE;
}

export function buildModel(entries: readonly ObjectEntry[], options: BuildOptions = {}): DockerModelParts {
  const byType = new Map<string, ObjectEntry[]>();
  for (const e of entries) {
    const list = byType.get(e.type);
    if (list) list.push(e);
    else byType.set(e.type, [e]);
  }
  const ofType = (type: string) => byType.get(type) ?? [];

  // Object literals rather than spreads: a spread object takes twice the memory, and a stack may have thousands.
  const images = ofType('docker_image').map((e): ImageModel => {
    const nameKnown = isLiteral(e.values.name);
    return {
      address: e.address,
      engine: e.provider,
      name: nameKnown ? e.values.name : e.address,
      nameKnown,
      external: e.mode === 'data',
      keepLocally: e.values.keep_locally === true,
    };
  });
  const imageNames = namesByAddress(images);

  const networks = ofType('docker_network').map(networkOf);
  const networkNames = namesByAddress(networks);
  const networkByAddress = new Map(networks.map((n) => [n.address, n]));
  // A container may name a network by its literal name: one key per network either way.
  const networkByName = new Map(networks.filter((n) => n.nameKnown).map((n) => [n.name, n.address]));

  const volumes = ofType('docker_volume')
    .filter((e) => e.mode === 'managed')
    .map((e): VolumeModel => {
      const { address, name, nameKnown, id } = named(e);
      return { address, engine: e.provider, name, nameKnown, id, driver: stringOrUndefined(e.values.driver), labels: labelRecord(e.values.labels) };
    });
  const volumeByName = new Map(volumes.filter((v) => v.nameKnown).map((v) => [v.name, v.address]));
  const volumeAddresses = new Set(volumes.map((v) => v.address));

  const secrets = ofType('docker_secret')
    .filter((e) => e.mode === 'managed')
    .map((e): SecretModel => {
      const { address, name, nameKnown, id } = named(e);
      return { address, engine: e.provider, name, nameKnown, id, labels: labelRecord(e.values.labels), services: [] };
    });
  const secretNames = namesByAddress(secrets);
  const secretByAddress = new Map(secrets.map((s) => [s.address, s]));

  const volumeOf: VolumeLookup = {
    address: (ref) => {
      const address = referencedAddress(ref) ?? (typeof ref === 'string' ? volumeByName.get(ref) : undefined);
      return address && volumeAddresses.has(address) ? address : undefined;
    },
    names: namesByAddress(volumes),
  };

  const sources: readonly { entry: ObjectEntry; resource?: TerraformResource }[] =
    options.workloads ??
    entries.filter((e) => e.mode === 'managed' && (e.type === 'docker_container' || e.type === 'docker_service')).map((entry) => ({ entry }));

  const containers = sources.map(({ entry, resource }): ContainerModel => {
    const kind: WorkloadKind = entry.type === 'docker_service' ? 'service' : 'container';
    const values = entry.values;
    const service = kind === 'service' ? values : undefined;
    const config = service ? serviceAsContainer(service) : values;
    const nameKnown = isLiteral(config.name);
    const name = nameKnown ? config.name : (resource?.node.path ?? entry.address);
    const attachments: any[] = asArray(service ? service.task_spec?.networks_advanced : config.networks_advanced);
    // Swarm answers for a service's name (its virtual IP, or every task with dnsrr) and for tasks.<name>.
    const ownNames = kind === 'service' ? [name, `tasks.${name}`] : [name];
    const imageAddress = referencedAddress(config.image);
    const swarm = service ? swarmSpec(service, secretNames) : undefined;
    for (const mount of swarm?.secrets ?? []) {
      const secret = mount.secretAddress ? secretByAddress.get(mount.secretAddress) : undefined;
      if (secret && !secret.services.includes(name)) secret.services.push(name);
    }
    const ports: PublishedPortModel[] = service
      ? servicePorts(service)
      : asArray(config.ports).map((p) => ({
          internal: p.internal,
          external: numberOrUndefined(p.external),
          ip: stringOrUndefined(p.ip),
          protocol: p.protocol || 'tcp',
        }));
    return {
      kind,
      address: entry.address,
      engine: entry.provider,
      resource,
      name,
      nameKnown,
      id: stringOrUndefined(values.id),
      config,
      service,
      image: resolveReference(config.image, imageNames),
      imageAddress: imageAddress && imageNames.has(imageAddress) ? imageAddress : undefined,
      networks: attachments.map((a): NetworkAttachmentModel => {
        const raw = String(a.name);
        const networkName = resolveReference(a.name, networkNames) ?? raw;
        // One key per network, whether the workload names it by reference or by its literal name.
        const address = leadingAddress(raw) ?? networkByName.get(raw);
        const network = address ? networkByAddress.get(address) : undefined;
        const aliases = listOf(asArray(a.aliases).map(String));
        return {
          key: address ?? raw,
          networkName,
          names: [...ownNames, ...aliases],
          aliases,
          ipv4Address: stringOrUndefined(a.ipv4_address),
          isolated: network?.isolated === true,
          network,
        };
      }),
      onDefaultBridge:
        kind === 'container' && attachments.length === 0 && [undefined, '', 'bridge', 'default'].includes(config.network_mode),
      networkMode: kind === 'container' ? stringOrUndefined(config.network_mode) : undefined,
      publishesPorts: ports.length > 0 || config.publish_all_ports === true,
      ports: listOf(ports),
      mounts: listOf(mountsOf(service ? (service.task_spec?.container_spec ?? {}) : config, kind, volumeOf)),
      dependsOn: listOf(asArray(values.depends_on).map(String)),
      swarm,
    };
  });

  return { engines: enginesOf(entries, options.engines ?? []), networks, containers, volumes, secrets, images };
}

/** The engines configured, then any other an entry is on (a document need not configure the default provider). */
function enginesOf(entries: readonly ObjectEntry[], configured: readonly EngineModel[]): EngineModel[] {
  const engines = [...configured];
  for (const key of new Set(entries.map((e) => e.provider))) {
    if (key !== undefined && !engines.some((engine) => engine.key === key)) engines.push(engineOfKey(key));
  }
  return engines;
}

/** The provider configuration `docker` or `docker.<alias>`, with nothing known of its host. */
export function engineOfKey(key: string): EngineModel {
  const alias = key.includes('.') ? key.slice(key.indexOf('.') + 1) : undefined;
  return alias === undefined ? { key } : { key, alias };
}

/** The address, Docker name and Docker id of a network, volume or secret. */
function named(e: ObjectEntry): { address: string; name: string; nameKnown: boolean; id?: string } {
  const nameKnown = isLiteral(e.values.name);
  return { address: e.address, name: nameKnown ? e.values.name : e.address, nameKnown, id: stringOrUndefined(e.values.id) };
}

function namesByAddress(objects: readonly { address: string; name: string; nameKnown: boolean }[]): Map<string, string> {
  return new Map(objects.filter((o) => o.nameKnown).map((o) => [o.address, o.name]));
}

function networkOf(e: ObjectEntry): NetworkModel {
  const v = e.values;
  const options: Record<string, string> = {};
  for (const [key, value] of Object.entries<unknown>(v.options ?? {})) options[key] = String(value);
  const { address, name, nameKnown, id } = named(e);
  return {
    address,
    engine: e.provider,
    name,
    nameKnown,
    id,
    external: e.mode === 'data',
    driver: stringOrUndefined(v.driver) ?? (e.mode === 'managed' ? 'bridge' : undefined),
    internal: v.internal === true,
    attachable: v.attachable === true,
    isolated: options[ENABLE_ICC_OPTION] === 'false',
    subnets: asArray(v.ipam_config)
      .map((c) => c?.subnet)
      .filter((s): s is string => typeof s === 'string' && s !== ''),
    labels: labelRecord(v.labels),
    options,
  };
}

/** Which of the stack's volumes a name or a reference is, and the Docker names of the volumes. */
interface VolumeLookup {
  readonly address: (ref: unknown) => string | undefined;
  readonly names: ReadonlyMap<string, string>;
}

/** The mounts of a container (`volumes`, `mounts`) or of a service's tasks (`container_spec.mounts`). */
function mountsOf(spec: Record<string, any>, kind: WorkloadKind, volumeOf: VolumeLookup): MountModel[] {
  const sourceOf = (ref: unknown, address: string | undefined) =>
    isLiteral(ref) && ref !== '' ? ref : address ? volumeOf.names.get(address) : undefined;
  const fromVolumes =
    kind === 'container'
      ? asArray(spec.volumes).map((v): MountModel => {
          const hostPath = stringOrUndefined(v.host_path);
          const volumeAddress = hostPath ? undefined : volumeOf.address(v.volume_name);
          return {
            type: hostPath ? 'bind' : 'volume',
            source: hostPath ?? sourceOf(v.volume_name, volumeAddress),
            volumeAddress,
            target: String(v.container_path),
            readOnly: v.read_only === true,
          };
        })
      : [];
  const fromMounts = asArray(spec.mounts).map((m): MountModel => {
    const type = String(m.type || 'volume');
    const volumeAddress = type === 'volume' ? volumeOf.address(m.source) : undefined;
    return {
      type,
      source: type === 'tmpfs' ? undefined : sourceOf(m.source, volumeAddress),
      volumeAddress,
      target: String(m.target),
      readOnly: m.read_only === true,
    };
  });
  return [...fromVolumes, ...fromMounts];
}
